import type { ComparatorThresholds, DataSchema, FeatureSchema } from '../schema/types';
import { quantileView } from '../stats';
import type { DatasetStatistics } from '../stats/types';
import { missingColumn, newColumn } from './anomalies/columns';
import { dataType, encodedStrings, nan, typeFits } from './anomalies/dataType';
import { numExamples, numExamplesChange } from './anomalies/dataset';
import { stringDomain } from './anomalies/domain';
import type { Finding } from './anomalies/finding';
import { presence } from './anomalies/presence';
import { range } from './anomalies/range';
import { unique } from './anomalies/unique';
import { compareDatasets, type ViewOf } from './compare';
import { byCodePoint } from './comparators/view';
import type { Anomaly, ValidationReport } from './types';

export interface ValidateInput {
  stats: DatasetStatistics;
  schema: DataSchema;
  /** The environment the data comes from (`training`, `serving`); '' for none. */
  environment: string;
  /** The previous span: drift and the example-count change. */
  previous?: DatasetStatistics;
  /** Serving data: skew (stats is the training side). */
  serving?: DatasetStatistics;
  /** Per-feature thresholds; a feature listed here replaces the schema's thresholds for that feature. */
  thresholds?: { drift?: Record<string, ComparatorThresholds>; skew?: Record<string, ComparatorThresholds> };
  /** How to read a numeric sketch; the stats module's `quantileView` unless a test injects exact views. */
  viewOf?: ViewOf;
}

export function inEnvironment(feature: FeatureSchema, environment: string): boolean {
  return !(environment && feature.not_in_environment?.includes(environment));
}

/**
 * TFDV's validate_statistics: the data against the schema in an environment, plus drift against
 * the previous span and skew against serving data when given. Pure: the report depends only on
 * its inputs, with anomalies sorted by feature (dataset-level first) and comparisons by feature.
 */
export function validateStatistics(input: ValidateInput): Pick<ValidationReport, 'anomalies' | 'drift' | 'skew'> {
  const { stats, schema, environment } = input;
  const viewOf = input.viewOf ?? quantileView;
  const anomalies: Anomaly[] = [];
  const severityOf = (feature: string | null) => (feature !== null && schema.features[feature]?.severity) || 'error';
  const add = (feature: string | null, findings: Finding[]) => {
    for (const f of findings)
      anomalies.push({
        feature,
        type: f.type,
        severity: severityOf(feature),
        shortDescription: f.shortDescription,
        description: f.description,
        dataset: stats.name,
        ...(f.details ? { details: f.details } : {}),
      });
  };

  add(null, numExamples(schema, stats.numExamples));
  if (input.previous) add(null, numExamplesChange(schema, stats.numExamples, input.previous.numExamples));

  const byName = new Map(stats.features.map((f) => [f.name, f]));
  for (const name of Object.keys(schema.features).sort(byCodePoint)) {
    const feature = schema.features[name];
    // Not in this environment (the label at serving): neither required nor checked (TFDV).
    if (!inEnvironment(feature, environment)) continue;
    const f = byName.get(name);
    if (!f) {
      add(name, missingColumn(feature));
      continue;
    }
    // With no examples at all only the dataset-level bounds speak; every feature check would fire.
    if (stats.numExamples === 0) continue;
    add(name, presence(feature, f, stats.numExamples));
    add(name, dataType(feature, f));
    if (typeFits(feature.type, f.type, f)) add(name, [...encodedStrings(feature, f), ...nan(feature, f)]);
    add(name, stringDomain(feature, f));
    add(name, range(feature, f));
    add(name, unique(feature, f));
  }
  for (const f of stats.features) if (!(f.name in schema.features)) add(f.name, [newColumn()]);

  const thresholdsFor = (kind: 'drift' | 'skew') => {
    const out: Record<string, ComparatorThresholds> = {};
    for (const [name, feature] of Object.entries(schema.features)) if (feature[kind] && inEnvironment(feature, environment)) out[name] = feature[kind]!;
    for (const [name, t] of Object.entries(input.thresholds?.[kind] ?? {})) {
      const feature = schema.features[name];
      if (!feature || inEnvironment(feature, environment)) out[name] = t;
    }
    return out;
  };
  const compare = (kind: 'drift' | 'skew', reference: DatasetStatistics | undefined) => {
    if (!reference) return [];
    const c = compareDatasets(kind, stats, reference, schema, thresholdsFor(kind), viewOf);
    for (const { feature, finding } of c.findings) add(feature, [finding]);
    return c.results;
  };
  const drift = compare('drift', input.previous);
  const skew = compare('skew', input.serving);

  const order = (a: Anomaly) => (a.feature === null ? '' : '\u0001' + a.feature);
  anomalies.sort((a, b) => byCodePoint(order(a), order(b)));
  return { anomalies, drift, skew };
}
