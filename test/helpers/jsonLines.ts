import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * The JSON lines a child prints on stdout, kept as they come, with a way to wait for the first one
 * (from an index on) that matches: tests wait for the event, never for a time.
 */
export class JsonLines<T> {
  readonly seen: T[] = [];
  private stderr = '';
  private exited?: number | null;
  private readonly waiting = new Set<() => void>();

  constructor(child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      this.seen.push(JSON.parse(line) as T);
      this.waiting.forEach((wake) => wake());
    });
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    child.once('exit', (code) => {
      this.exited = code;
      this.waiting.forEach((wake) => wake());
    });
  }

  /** The first line from `from` on that `match` accepts; rejects when the child exits first. */
  next(match: (value: T) => boolean, from = 0): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.seen.slice(from).find(match);
        if (found !== undefined) {
          this.waiting.delete(check);
          resolve(found);
        } else if (this.exited !== undefined) {
          this.waiting.delete(check);
          reject(new Error(`exited ${this.exited} before the awaited line; stderr:\n${this.stderr}`));
        }
      };
      this.waiting.add(check);
      check();
    });
  }

  get errors(): string {
    return this.stderr;
  }
}
