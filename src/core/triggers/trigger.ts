import * as path from 'node:path';
import type { RunTrigger } from '../store/types';
import { formatTimestamp } from '../util/format';
import { UserError } from '../util/problems';

export type { RunTrigger };

/** `mlops run --trigger JSON`: what `mlops watch` and the monitor pass; anything else is refused with the shape expected. */
export function parseTrigger(text: string): RunTrigger {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (isTrigger(value)) return value;
  throw UserError.at(
    `--trigger: '${text}' is not a trigger`,
    undefined,
    '{"kind":"span","files":[…]}, {"kind":"schedule","cron":"0 3 * * *","at":<epoch ms>} or {"kind":"alert","alertId":N,"model":"…","message":"…"}',
  );
}

function isTrigger(v: unknown): v is RunTrigger {
  const t = v as Record<string, unknown> | null;
  if (typeof t !== 'object' || t === null) return false;
  switch (t.kind) {
    case 'span':
      return Array.isArray(t.files) && t.files.length > 0 && t.files.every((f) => typeof f === 'string');
    case 'schedule':
      return typeof t.cron === 'string' && Number.isFinite(t.at);
    case 'alert':
      return Number.isInteger(t.alertId) && typeof t.model === 'string' && typeof t.message === 'string';
    default:
      return false;
  }
}

/** One line a person reads: "new span spans/day-3.csv", "schedule 0 3 * * * (due 2026-12-07 03:00:00)", "alert #12: fare drifted". */
export function describeTrigger(t: RunTrigger, base?: string): string {
  switch (t.kind) {
    case 'span': {
      const names = t.files.map((f) => (base ? path.relative(base, f) : path.basename(f)));
      const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '');
      return `new span${names.length === 1 ? '' : 's'} ${shown}`;
    }
    case 'schedule':
      return `schedule ${t.cron} (due ${formatTimestamp(t.at)})`;
    case 'alert':
      return `${t.model} alert #${t.alertId}: ${t.message}`;
  }
}

/** Short label for a tree or a column: span, schedule, alert. */
export function triggerKindLabel(t: RunTrigger): string {
  return t.kind === 'span' ? 'new span' : t.kind;
}
