import type { Result } from 'vega-embed';

/**
 * Renders charts only when their row comes near the viewport (IntersectionObserver), a few per
 * frame so scrolling through 500 features never stalls. A rendered chart stays until its element
 * is dropped (a new view message) or the theme changes.
 */
export class LazyCharts {
  private readonly renderers = new WeakMap<Element, () => Promise<Result>>();
  private readonly results = new Map<Element, Result>();
  private readonly queue = new Set<Element>();
  private readonly observer: IntersectionObserver;
  private scheduled = false;

  constructor(
    private readonly onRendered: () => void,
    private readonly onError: (e: unknown) => void,
  ) {
    this.observer = new IntersectionObserver(
      (entries) => {
        for (const e of entries) {
          if (e.isIntersecting && !this.results.has(e.target)) this.queue.add(e.target);
          else if (!e.isIntersecting) this.queue.delete(e.target);
        }
        this.schedule();
      },
      { rootMargin: '300px 0px' },
    );
  }

  get rendered(): number {
    return this.results.size;
  }

  observe(el: Element, render: () => Promise<Result>): void {
    this.renderers.set(el, render);
    this.observer.observe(el);
  }

  /** Renders now (an expanded row's chart: the user asked for it). */
  async renderNow(el: Element, render: () => Promise<Result>): Promise<Result | undefined> {
    this.renderers.set(el, render);
    return this.draw(el);
  }

  result(el: Element): Result | undefined {
    return this.results.get(el);
  }

  /** Forget everything (the table is rebuilt). */
  clear(): void {
    this.observer.disconnect();
    this.queue.clear();
    for (const r of this.results.values()) r.finalize();
    this.results.clear();
  }

  /** Draw every chart again, e.g. with new theme colours; off-screen ones when they come back. */
  redraw(): void {
    const drawn = [...this.results.keys()];
    for (const r of this.results.values()) r.finalize();
    this.results.clear();
    for (const el of drawn) {
      if (!el.isConnected) continue;
      this.observer.unobserve(el);
      this.observer.observe(el);
    }
  }

  private schedule(): void {
    if (this.scheduled || !this.queue.size) return;
    this.scheduled = true;
    requestAnimationFrame(() => void this.drain());
  }

  private async drain(): Promise<void> {
    const start = performance.now();
    // About one frame's budget per batch; the rest waits for the next frame.
    while (this.queue.size && performance.now() - start < 12) {
      const el = this.queue.values().next().value as Element;
      this.queue.delete(el);
      if (el.isConnected && !this.results.has(el)) await this.draw(el);
    }
    this.scheduled = false;
    if (this.queue.size) this.schedule();
    else this.onRendered();
  }

  private async draw(el: Element): Promise<Result | undefined> {
    const render = this.renderers.get(el);
    if (!render) return undefined;
    try {
      this.results.get(el)?.finalize();
      const result = await render();
      this.results.set(el, result);
      return result;
    } catch (e) {
      this.onError(e);
      return undefined;
    }
  }
}
