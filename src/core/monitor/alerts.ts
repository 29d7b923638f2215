import { readableNumber } from '../evaluate/format';
import type { ThresholdCheck } from '../evaluate/report';
import type { ComparatorResult } from '../validate/types';
import type { AlertKind, NewAlert, WindowReport } from './types';

const P_VALUE_METHODS = new Set(['ks', 'chi2']);

/** Three significant digits: what a person compares at a glance (the alert stores the exact value). */
export const shortNumber = (x: number, signed = false): string => readableNumber(x, signed, 3);

/** The alerts of one window: each fired comparator, and each failed metric bound whose metric could be computed. */
export function alertsOf(report: WindowReport): NewAlert[] {
  const { window } = report;
  const drift = (kind: AlertKind, results: readonly ComparatorResult[]) =>
    results
      .filter((r) => r.fired)
      .map((r): NewAlert => {
        const pValue = P_VALUE_METHODS.has(r.method);
        const value = pValue ? (r.pValue ?? null) : r.value;
        return {
          model: window.model,
          version: window.version,
          kind,
          subject: r.feature,
          method: r.method,
          value,
          threshold: r.threshold ?? null,
          window,
          message: comparatorMessage(r),
        };
      });
  const performance = (report.metrics?.checks ?? [])
    .filter((c) => c.outcome === 'failed' && c.value !== null && (c.kind === 'value' || (c.change !== null && c.change !== undefined)))
    .map((c): NewAlert => ({
      model: window.model,
      version: window.version,
      kind: 'performance',
      subject: c.metric,
      method: c.kind,
      ...bound(c),
      window,
      message: checkMessage(c),
    }));
  return [...drift('drift', report.drift), ...drift('prediction_drift', report.predictionDrift), ...performance];
}

/** "fare: wasserstein 0.42 > 0.1", "payment_type: chi2 p-value 0.001 ≤ 0.05". */
export function comparatorMessage(r: ComparatorResult): string {
  const threshold = r.threshold === undefined ? '' : shortNumber(r.threshold);
  if (P_VALUE_METHODS.has(r.method)) return `${r.feature}: ${r.method} p-value ${shortNumber(r.pValue ?? 1)} ${r.fired ? '≤' : '>'} ${threshold}`;
  return `${r.feature}: ${r.method} ${shortNumber(r.value)} ${r.fired ? '>' : '≤'} ${threshold}${r.at !== undefined ? ` (at ${r.at})` : ''}`;
}

/** A computed check: "accuracy 0.61 < 0.8 online", "accuracy −0.23 < −0.05 against offline 0.84 (online 0.61)". */
export function checkMessage(c: ThresholdCheck): string {
  const failed = c.outcome === 'failed';
  if (c.kind === 'value') {
    const v = c.value!;
    const bounds = failed
      ? c.lower !== undefined && v < c.lower
        ? `< ${shortNumber(c.lower)}`
        : `> ${shortNumber(c.upper!)}`
      : [c.lower !== undefined && `≥ ${shortNumber(c.lower)}`, c.upper !== undefined && `≤ ${shortNumber(c.upper)}`].filter(Boolean).join(' and ');
    return `${c.metric} ${shortNumber(v)} ${bounds} online`;
  }
  const relative = c.absolute === undefined && c.relative !== undefined;
  const shown = relative ? `${shortNumber(100 * (c.change! / Math.abs(c.baseline!)), true)}%` : shortNumber(c.change!, true);
  const limit = relative ? `${shortNumber(100 * c.relative!, true)}%` : shortNumber(c.absolute!, true);
  const op = c.direction === 'lower' ? (failed ? '>' : '≤') : failed ? '<' : '≥';
  return `${c.metric} ${shown} ${op} ${limit} against offline ${shortNumber(c.baseline!)} (online ${shortNumber(c.value!)})`;
}

function bound(c: ThresholdCheck): { value: number; threshold: number | null } {
  if (c.kind === 'value') return { value: c.value!, threshold: c.lower !== undefined && c.value! < c.lower ? c.lower : (c.upper ?? c.lower ?? null) };
  if (c.absolute !== undefined) return { value: c.change!, threshold: c.absolute };
  return { value: c.change! / Math.abs(c.baseline!), threshold: c.relative ?? null };
}
