import type { AnomaliesView, AnomalyGroupView } from '../../shared/anomalies';
import type { Anomaly } from '../../core/validate/types';
import { fixesFor, fixTitle } from './fixes';
import type { RunValidation } from './report';
import { isFixApplied } from './schemaEdits';

/**
 * A run's report → the panel's view model. Pure. Groups are one feature with one severity, errors
 * first, then by feature name (the dataset as a whole before any feature); `schemaText` (when the
 * schema is readable) marks fixes the schema already carries.
 */
export function toAnomaliesView(
  v: Pick<RunValidation, 'runId' | 'pipeline' | 'report'>,
  schema: { display: string; text: string | undefined; features: ReadonlySet<string> } | undefined,
): AnomaliesView {
  const groups = new Map<string, AnomalyGroupView>();
  v.report.anomalies.forEach((a: Anomaly, index) => {
    const key = `${a.severity}|${a.feature ?? ''}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        feature: a.feature,
        severity: a.severity,
        canGoToSchema: a.feature === null ? true : !!schema?.features.has(a.feature),
        anomalies: [],
      };
      groups.set(key, g);
    }
    const text = schema?.text;
    g.anomalies.push({
      index,
      type: a.type,
      severity: a.severity,
      shortDescription: a.shortDescription,
      description: a.description,
      dataset: a.dataset,
      fixes: schema ? fixesFor(a, v.report).map((f) => ({ title: fixTitle(f), applied: text !== undefined && isFixApplied(text, f) })) : [],
    });
  });
  const rank = (s: string) => (s === 'error' ? 0 : 1);
  const sorted = [...groups.values()].sort((a, b) => rank(a.severity) - rank(b.severity) || (a.feature ?? '').localeCompare(b.feature ?? ''));
  const comparators = [...v.report.drift, ...v.report.skew];
  return {
    runId: v.runId,
    pipeline: v.pipeline,
    environment: v.report.environment,
    schemaFile: schema?.display ?? null,
    errors: v.report.anomalies.filter((a) => a.severity === 'error').length,
    warnings: v.report.anomalies.filter((a) => a.severity === 'warning').length,
    groups: sorted,
    comparators: { total: comparators.length, fired: comparators.filter((c) => c.fired).length },
  };
}

export function sameAnomaliesView(a: AnomaliesView | undefined, b: AnomaliesView): boolean {
  return !!a && JSON.stringify(a) === JSON.stringify(b);
}
