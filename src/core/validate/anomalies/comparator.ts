import { sixDigits } from '../format';
import type { AnomalyType, ComparatorMethod } from '../types';
import type { Finding } from './finding';

/** TFDV's names for the two sides: skew is training (treatment) vs serving (control). */
export function sideNames(kind: 'drift' | 'skew'): { treatment: string; control: string } {
  return kind === 'skew' ? { treatment: 'training', control: 'serving' } : { treatment: 'current', control: 'previous' };
}

export const COMPARATOR_ANOMALY: Record<ComparatorMethod, AnomalyType> = {
  linf: 'COMPARATOR_L_INFTY_HIGH',
  jsd: 'COMPARATOR_JENSEN_SHANNON_DIVERGENCE_HIGH',
  psi: 'COMPARATOR_PSI_HIGH',
  wasserstein: 'COMPARATOR_WASSERSTEIN_HIGH',
  ks: 'COMPARATOR_KS_TEST',
  chi2: 'COMPARATOR_CHI_SQUARED_TEST',
};

export interface Measurement {
  method: ComparatorMethod;
  value: number;
  pValue?: number;
  threshold: number;
  at?: string;
}

/**
 * The anomaly for a fired comparator. L-infinity and JSD use TFDV's exact sentences; the methods
 * TFDV lacks follow the same pattern so the anomalies panel reads uniformly.
 */
export function comparatorFinding(kind: 'drift' | 'skew', m: Measurement): Finding {
  const { treatment: t, control: c } = sideNames(kind);
  const v = sixDigits(m.value);
  const th = sixDigits(m.threshold);
  const details = { kind, method: m.method, observedValue: m.value, pValue: m.pValue, threshold: m.threshold, at: m.at };
  const type = COMPARATOR_ANOMALY[m.method];
  switch (m.method) {
    case 'linf':
      return {
        type,
        shortDescription: `High Linfty distance between ${t} and ${c}`,
        description: `The Linfty distance between ${t} and ${c} is ${v} (up to six significant digits), above the threshold ${th}. The feature value with maximum difference is: ${m.at ?? ''}`,
        details,
      };
    case 'jsd':
      return {
        type,
        shortDescription: `High approximate Jensen-Shannon divergence between ${t} and ${c}`,
        description: `The approximate Jensen-Shannon divergence between ${t} and ${c} is ${v} (up to six significant digits), above the threshold ${th}.`,
        details,
      };
    case 'psi':
      return {
        type,
        shortDescription: `High population stability index between ${t} and ${c}`,
        description: `The population stability index between ${t} and ${c} is ${v} (up to six significant digits), above the threshold ${th}.`,
        details,
      };
    case 'wasserstein':
      return {
        type,
        shortDescription: `High normalized Wasserstein distance between ${t} and ${c}`,
        description: `The Wasserstein distance between ${t} and ${c} divided by the ${c} standard deviation is ${v} (up to six significant digits), above the threshold ${th}.`,
        details,
      };
    case 'ks':
      return {
        type,
        shortDescription: `Different distributions of ${t} and ${c} (Kolmogorov-Smirnov test)`,
        description: `The two-sample Kolmogorov-Smirnov statistic between ${t} and ${c} is ${v} with p-value ${sixDigits(m.pValue ?? NaN)} (up to six significant digits), at or below the threshold ${th}.`,
        details,
      };
    case 'chi2':
      return {
        type,
        shortDescription: `Different value frequencies of ${t} and ${c} (chi-square test)`,
        description: `The chi-square statistic between ${t} and ${c} is ${v} with p-value ${sixDigits(m.pValue ?? NaN)} (up to six significant digits), at or below the threshold ${th}.`,
        details,
      };
  }
}
