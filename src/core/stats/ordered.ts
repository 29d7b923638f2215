/**
 * Results of tasks consumed in submission order with a bounded number in flight: merges then
 * happen in a fixed order (so parallel and in-thread runs agree bit for bit) and memory holds only
 * `limit` partial results however long the input.
 */
export class InOrder<T> {
  private readonly inflight: Promise<T>[] = [];

  constructor(
    private readonly limit: number,
    private readonly consume: (result: T) => void,
  ) {}

  async push(result: Promise<T>): Promise<void> {
    // Attach a handler now so a failure waiting behind slower tasks is not an unhandled rejection.
    result.catch(() => undefined);
    this.inflight.push(result);
    if (this.inflight.length >= this.limit) this.consume(await this.inflight.shift()!);
  }

  async drain(): Promise<void> {
    while (this.inflight.length > 0) this.consume(await this.inflight.shift()!);
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : Object.assign(new Error('statistics canceled'), { name: 'AbortError' });
}
