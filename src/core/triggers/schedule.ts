import { Cron } from 'croner';

/**
 * Cron schedules through croner (5 fields, or 6 with seconds first; the watching machine's local
 * time). `paused` keeps croner from starting timers of its own: the watcher asks for the next time
 * and keeps its own clock, which tests drive.
 */
function cron(expression: string): Cron {
  return new Cron(expression, { paused: true });
}

/** Why the expression is not a schedule (croner's words), or undefined when it is one. */
export function scheduleProblem(expression: string): string | undefined {
  // croner also takes a 7th (year) field; the documented forms are 5 or 6 fields.
  const fields = expression.trim().split(/\s+/).length;
  if (fields < 5 || fields > 6) return `it has ${fields} fields: a schedule has 5 (minute hour day month weekday), or 6 with seconds first`;
  try {
    const next = cron(expression).nextRun();
    return next === null ? 'it never fires' : undefined;
  } catch (error) {
    return (error as Error).message.replace(/^CronPattern: /, '');
  }
}

/** The first scheduled time strictly after `after` (epoch ms); undefined when there is none. */
export function nextScheduled(expression: string, after: number): number | undefined {
  return cron(expression).nextRun(new Date(after))?.getTime();
}
