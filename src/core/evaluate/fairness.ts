import type { FairnessConfig } from '../pipeline/config';
import { UserError } from '../util/problems';
import { disparity } from './disparity';
import { featureValues, groupRows, valueColumn, type RowGroup } from './groups';
import type { FAIRNESS_METRICS } from './metricNames';
import type { ModelAnalysis, RowsView } from './modelAnalysis';
import type { Disparity, FairnessAtThreshold, FairnessReport, GroupMetrics, GroupRates } from './report';
import { crossName, OVERALL } from './slicing';
import type { FeatureValue } from './types';

/** The groups of one sensitive feature, or of the intersection of several. */
export interface FairnessEntry {
  name: string;
  sensitive: string[];
  groups: RowGroup[];
  /** Every row that belongs to a group (rows missing a sensitive value are in none). */
  rows: Int32Array;
}

/** The groups of every sensitive entry; an entry with fewer than two groups cannot show a disparity. */
export function fairnessEntries(config: FairnessConfig, features: ReadonlyMap<string, readonly FeatureValue[]>, rowCount: number): FairnessEntry[] {
  return config.sensitive.map(({ value: sensitive, location }) => {
    const columns = sensitive.map((f) => valueColumn(featureValues(features, f, rowCount, 'sensitive', location)));
    const groups = groupRows(columns, rowCount);
    const named =
      sensitive.length === 1 ? `sensitive feature '${sensitive[0]}'` : `the intersection of sensitive features ${sensitive.map((f) => `'${f}'`).join(', ')}`;
    if (groups.length === 0) throw UserError.at(`${named} has no value in the evaluated rows`, location);
    if (groups.length === 1) {
      throw UserError.at(
        `${named} has a single group '${crossName(groups[0].values)}' in the evaluated rows; fairness needs at least two`,
        location,
        'name a feature whose values split the evaluated rows into groups',
      );
    }
    const rows = Int32Array.from(groups.flatMap((g) => [...g.rows])).sort();
    return { name: crossName(sensitive), sensitive, groups, rows };
  });
}

const RATES: readonly (keyof GroupRates)[] = ['selection_rate', 'tpr', 'fpr', 'fnr', 'tnr'];

/**
 * Fairlearn's MetricFrame of one model over an entry's groups: rates (binary) and the task's metrics
 * per group, their disparities, and for binary models demographic parity, equalized odds, equal
 * opportunity and the rates at each of `atThresholds` (TF Fairness Indicators).
 */
export function fairnessReport(entry: FairnessEntry, analysis: ModelAnalysis, decisionThreshold: number, atThresholds: readonly number[]): FairnessReport {
  const overallView = analysis(entry.rows);
  const views = entry.groups.map((g) => analysis(g.rows));
  const describe = (group: string, values: Record<string, string>, count: number, view: RowsView): GroupMetrics => ({
    group,
    values,
    count,
    ...(view.rates && { rates: view.rates(decisionThreshold) }),
    metrics: view.metrics(),
  });
  const overall = describe(OVERALL, {}, entry.rows.length, overallView);
  const groups = entry.groups.map((g, i) =>
    describe(crossName(g.values), Object.fromEntries(entry.sensitive.map((f, j) => [f, g.values[j]])), g.rows.length, views[i]),
  );
  const disparities: Record<string, Disparity> = {};
  for (const rate of overall.rates ? RATES : []) {
    disparities[rate] = disparity(
      groups.map((g) => g.rates?.[rate] ?? null),
      overall.rates?.[rate] ?? null,
    );
  }
  for (const metric of Object.keys(overall.metrics)) {
    disparities[metric] = disparity(
      groups.map((g) => g.metrics[metric] ?? null),
      overall.metrics[metric],
    );
  }
  const report: FairnessReport = { name: entry.name, sensitive: entry.sensitive, threshold: decisionThreshold, overall, groups, disparities };
  if (!overall.rates) return report;
  const summary = ({ difference, ratio }: Disparity) => ({ difference, ratio });
  return {
    ...report,
    demographicParity: summary(disparities.selection_rate),
    equalizedOdds: equalizedOdds(disparities.tpr, disparities.fpr),
    equalOpportunity: summary(disparities.tpr),
    atThresholds: atThresholds.map((threshold) => ratesAtThreshold(threshold, groups, views)),
  };
}

/** The worse of the TPR and FPR disparities; null when either is unknown. */
function equalizedOdds(tpr: Disparity, fpr: Disparity): { difference: number | null; ratio: number | null } {
  return {
    difference: tpr.difference === null || fpr.difference === null ? null : Math.max(tpr.difference, fpr.difference),
    ratio: tpr.ratio === null || fpr.ratio === null ? null : Math.min(tpr.ratio, fpr.ratio),
  };
}

function ratesAtThreshold(threshold: number, groups: GroupMetrics[], views: RowsView[]): FairnessAtThreshold {
  const rates = views.map((view) => view.rates!(threshold));
  const of = (rate: keyof GroupRates) =>
    disparity(
      rates.map((r) => r[rate]),
      null,
    );
  return {
    threshold,
    groups: groups.map((g, i) => ({ group: g.group, ...rates[i] })),
    demographicParityDifference: of('selection_rate').difference,
    equalizedOddsDifference: equalizedOdds(of('tpr'), of('fpr')).difference,
  };
}

/** The values thresholds can name (`demographic_parity_difference`, ...), null for a non-binary report. */
export function fairnessMetricValues(report: FairnessReport): Record<(typeof FAIRNESS_METRICS)[number], number | null> {
  return {
    demographic_parity_difference: report.demographicParity?.difference ?? null,
    demographic_parity_ratio: report.demographicParity?.ratio ?? null,
    equalized_odds_difference: report.equalizedOdds?.difference ?? null,
    equalized_odds_ratio: report.equalizedOdds?.ratio ?? null,
    equal_opportunity_difference: report.equalOpportunity?.difference ?? null,
    equal_opportunity_ratio: report.equalOpportunity?.ratio ?? null,
  };
}
