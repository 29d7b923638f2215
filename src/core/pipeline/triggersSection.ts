import { scheduleProblem } from '../triggers/schedule';
import type { Problem } from '../util/problems';
import type { TriggersConfig } from './config';
import type { DocumentPositions } from './positions';

/** What `triggers:` looks like once it passed the JSON schema. */
export interface RawTriggers {
  spans?: boolean;
  settle?: string;
  schedule?: string;
}

/** Long enough for a copy over a slow disk to show its growth between two looks, short enough to not be noticed. */
export const DEFAULT_SETTLE_MS = 2000;

const SETTLE = /^([0-9]+)(ms|s|m)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** Problems the JSON schema cannot express in `triggers:`: a cron expression croner does not take. */
export function triggersProblems(raw: RawTriggers | undefined, positions: DocumentPositions): Problem[] {
  if (!raw || typeof raw !== 'object' || typeof raw.schedule !== 'string') return [];
  const problem = scheduleProblem(raw.schedule);
  if (problem === undefined) return [];
  return [
    {
      severity: 'error',
      location: positions.valueStart(['triggers', 'schedule']),
      message: `triggers.schedule: '${raw.schedule}' is not a cron expression: ${problem}`,
      hint: 'minute hour day-of-month month day-of-week, e.g. "0 3 * * *" (every day at 03:00) or "*/15 * * * *" (every 15 minutes)',
    },
  ];
}

export function normalizeTriggers(raw: RawTriggers | undefined, positions: DocumentPositions): TriggersConfig {
  const settle = raw?.settle === undefined ? undefined : SETTLE.exec(raw.settle);
  return {
    spans: raw?.spans ?? true,
    settleMs: settle ? Number(settle[1]) * UNIT_MS[settle[2]] : DEFAULT_SETTLE_MS,
    schedule: raw?.schedule === undefined ? undefined : { value: raw.schedule, location: positions.locate(['triggers', 'schedule']) },
    location: raw ? positions.locate(['triggers'], { key: true }) : undefined,
  };
}
