import { formatRelativeTime } from '../../core/util/format';

export interface RunChoice {
  id: number;
  pipeline: string;
  status: string;
  startedAt: number;
  /** Said before the status ("trial of #4", "4 trials"). */
  lead?: string;
  /** Said after the time ("12 metrics", "only train"). */
  trail?: string;
}

/**
 * The rows of a run picker: every run given, newest first whatever its status, so a run keeps its
 * place as it finishes (running runs used to jump to the top, then down).
 */
export function runPickItems(choices: readonly RunChoice[], now: number): { label: string; description: string; runId: number }[] {
  return [...choices]
    .sort((a, b) => b.id - a.id)
    .map((r) => ({
      label: `#${r.id}  ${r.pipeline}`,
      description: [r.lead, r.status, formatRelativeTime(r.startedAt, now), r.trail].filter(Boolean).join(' · '),
      runId: r.id,
    }));
}
