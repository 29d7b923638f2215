import type { ComparatorResult } from '../../core/validate/types';
import type { DriftRowView, DriftView } from '../../shared/drift';
import type { RunValidation } from '../anomalies/report';

const P_VALUE_METHODS = new Set(['ks', 'chi2']);

/**
 * How close a comparator is to firing, > 1 past its threshold: value / threshold, or for the p-value
 * tests (which fire when p ≤ threshold) threshold / p.
 */
export function pressure(r: Pick<DriftRowView, 'method' | 'value' | 'pValue' | 'threshold'>): number {
  if (r.threshold === null) return 0;
  if (P_VALUE_METHODS.has(r.method)) return r.pValue === null ? 0 : r.pValue === 0 ? Infinity : r.threshold / r.pValue;
  return r.threshold === 0 ? (r.value > 0 ? Infinity : 0) : r.value / r.threshold;
}

/** Fired first, then closest to firing, then by feature: the rows that need a look are on top. */
export function toDriftRows(results: readonly ComparatorResult[]): DriftRowView[] {
  return results
    .map<DriftRowView>((r) => ({
      feature: r.feature,
      kind: r.kind,
      method: r.method,
      value: r.value,
      pValue: r.pValue ?? null,
      threshold: r.threshold ?? null,
      fired: r.fired,
      at: r.at ?? null,
      current: r.current,
      reference: r.reference,
    }))
    .sort(
      (a, b) =>
        Number(b.fired) - Number(a.fired) ||
        pressure(b) - pressure(a) ||
        a.feature.localeCompare(b.feature) ||
        a.kind.localeCompare(b.kind),
    );
}

export type Choice = { pipeline: string; by: 'editor' | 'picker' } | undefined;

/** The validation to show: the chosen pipeline's when it has one, else the newest. */
export function chooseValidation(latest: readonly RunValidation[], choice: Choice): { v: RunValidation; by: DriftView['chosenBy'] } | undefined {
  const chosen = choice && latest.find((v) => v.pipeline === choice.pipeline);
  if (chosen && choice) return { v: chosen, by: choice.by };
  const newest = [...latest].sort((a, b) => b.startedAt - a.startedAt)[0];
  return newest && { v: newest, by: 'latest' };
}

export function toDriftView(v: RunValidation, latest: readonly RunValidation[], by: DriftView['chosenBy']): DriftView {
  return {
    runId: v.runId,
    pipeline: v.pipeline,
    pipelines: [...new Set(latest.map((l) => l.pipeline))].sort(),
    chosenBy: by,
    startedAt: v.startedAt,
    rows: toDriftRows([...v.report.drift, ...v.report.skew]),
  };
}

/** The argument `mlops.compareDatasets` takes: the row's two datasets (current, reference). */
export function compareArgs(runId: number, row: Pick<DriftRowView, 'feature' | 'current' | 'reference'>) {
  return { runId, a: row.current, b: row.reference, feature: row.feature };
}
