/**
 * Runs at most `size` tasks at once, the others queued in call order. A task still queued when
 * `signal` aborts never starts: it rejects with the abort reason.
 */
export function concurrencyLimit(size: number, signal: AbortSignal): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const queue: { start(): void; cancel(reason: unknown): void }[] = [];
  signal.addEventListener('abort', () => {
    for (const waiting of queue.splice(0)) waiting.cancel(signal.reason);
  });
  const next = () => {
    running--;
    queue.shift()?.start();
  };
  return <T>(task: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      const start = () => {
        running++;
        task().then(resolve, reject).finally(next);
      };
      if (signal.aborted) reject(signal.reason);
      else if (running < size) start();
      else queue.push({ start, cancel: reject });
    });
}

/**
 * Waits for every promise to settle (so nothing keeps running behind the caller's back), then
 * throws the first failure in the given order.
 */
export async function settleAll<T>(promises: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}
