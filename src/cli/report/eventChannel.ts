import { writeSync } from 'node:fs';
import type { RunEvent } from '../../core/runner/events';
import type { RunReporter } from '../../core/runner/reporter';

/** JSON lines on an inherited file descriptor: the editor's side channel (`--events-fd`). */
export class EventChannel implements RunReporter {
  private broken = false;

  constructor(private readonly fd: number) {}

  event(e: RunEvent): void {
    if (this.broken) return;
    try {
      writeSync(this.fd, JSON.stringify(e) + '\n');
    } catch {
      // The listener went away (editor closed): the run goes on, the store still records it.
      this.broken = true;
    }
  }

  log(): void {}
}
