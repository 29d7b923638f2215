import type { RunEvent } from './events';

/** Where a run tells what it is doing: the terminal, the editor's event channel, or both. */
export interface RunReporter {
  event(e: RunEvent): void;
  /** A line of a component's own output (a step's stdout, a warning). */
  log(component: string, line: string): void;
}

export function combineReporters(...reporters: RunReporter[]): RunReporter {
  return {
    event: (e) => reporters.forEach((r) => r.event(e)),
    log: (c, l) => reporters.forEach((r) => r.log(c, l)),
  };
}
