import type { Disposable } from 'vscode';

/**
 * Trailing-edge debounce that can be disposed with the rest of the extension, so no timer fires into
 * an extension that is already shutting down.
 */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): ((...args: A) => void) & Disposable & { flush(): void } {
  let timer: NodeJS.Timeout | undefined;
  let pending: A | undefined;
  const run = () => {
    timer = undefined;
    const args = pending;
    pending = undefined;
    if (args) fn(...args);
  };
  const debounced = (...args: A) => {
    pending = args;
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, ms);
  };
  return Object.assign(debounced, {
    flush: () => {
      if (timer) clearTimeout(timer);
      run();
    },
    dispose: () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      pending = undefined;
    },
  });
}

/** Per-key debounce (e.g. one timer per open document). */
export class KeyedDebouncer<K> implements Disposable {
  private readonly timers = new Map<K, NodeJS.Timeout>();

  constructor(private readonly ms: number) {}

  schedule(key: K, fn: () => void): void {
    this.cancel(key);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        fn();
      }, this.ms),
    );
  }

  cancel(key: K): void {
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
