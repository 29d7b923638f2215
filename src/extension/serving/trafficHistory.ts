import type { TrafficPoint } from '../../shared/monitoring';

/** How much live traffic the Monitoring panel can draw: the server reports about once a second. */
export const TRAFFIC_WINDOW_MS = 10 * 60_000;

/**
 * The last minutes of traffic points, oldest first: a ring of fixed capacity (a point a second
 * for the window, with room for a faster reporter), trimmed by age on the newest point's clock.
 */
export class TrafficHistory {
  private readonly ring: (TrafficPoint | undefined)[];
  /** Index of the oldest point, and how many are held. */
  private head = 0;
  private size = 0;

  constructor(
    private readonly windowMs = TRAFFIC_WINDOW_MS,
    capacity = Math.ceil(windowMs / 1000) * 2,
  ) {
    this.ring = new Array(capacity);
  }

  add(point: TrafficPoint): void {
    const capacity = this.ring.length;
    if (this.size === capacity) {
      this.head = (this.head + 1) % capacity;
      this.size--;
    }
    this.ring[(this.head + this.size) % capacity] = point;
    this.size++;
    while (this.size > 0 && this.ring[this.head]!.at < point.at - this.windowMs) {
      this.ring[this.head] = undefined;
      this.head = (this.head + 1) % capacity;
      this.size--;
    }
  }

  points(): TrafficPoint[] {
    const out: TrafficPoint[] = new Array(this.size);
    for (let i = 0; i < this.size; i++) out[i] = this.ring[(this.head + i) % this.ring.length]!;
    return out;
  }

  last(): TrafficPoint | undefined {
    return this.size ? this.ring[(this.head + this.size - 1) % this.ring.length] : undefined;
  }

  clear(): void {
    this.ring.fill(undefined);
    this.head = 0;
    this.size = 0;
  }
}
