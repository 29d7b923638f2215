import type { DatasetStatistics, FeatureStatistics } from '../stats/types';
import { isIntString } from '../validate/anomalies/dataType';
import { byCodePoint } from '../validate/comparators/view';
import { DATA_SCHEMA_VERSION, type DataSchema, type FeatureSchema } from './types';

/** TFDV's enum threshold: strings with at most this many distinct values get a string domain. */
export const MAX_DOMAIN_VALUES = 100;

export interface InferOptions {
  /** Environment → features absent from it, e.g. `{ serving: ['tips'] }`. */
  environments?: Record<string, string[]>;
}

/**
 * A schema from statistics by TFDV's rules (REFERENCE.md "Schema inference"): type from the data
 * (bool for 0/1 integers and true/false), presence, a string domain for strings with at most 100
 * distinct values, int-encoded strings, and no numeric ranges (users add those). Deterministic:
 * features sorted, keys in a fixed order, so re-inferring gives the same file.
 */
export function inferSchema(stats: DatasetStatistics, options: InferOptions = {}): DataSchema {
  const excludedFrom = new Map<string, string[]>();
  for (const [env, names] of Object.entries(options.environments ?? {})) {
    for (const name of names) excludedFrom.set(name, [...(excludedFrom.get(name) ?? []), env]);
  }
  const features: Record<string, FeatureSchema> = {};
  for (const f of [...stats.features].sort((a, b) => byCodePoint(a.name, b.name))) {
    features[f.name] = inferFeature(f);
    const envs = excludedFrom.get(f.name);
    if (envs) features[f.name].not_in_environment = [...new Set(envs)].sort(byCodePoint);
  }
  return { version: DATA_SCHEMA_VERSION, features };
}

function inferFeature(f: FeatureStatistics): FeatureSchema {
  const out: FeatureSchema = { type: inferType(f) };
  const c = f.categorical;
  const values = c?.rankHistogram.map((b) => b.value) ?? [];
  // TFDV checks int-encoded strings before string domains: such a column gets no domain.
  const intEncoded =
    out.type === 'string' && c !== undefined && c.rankHistogramExact && values.length > 0 && c.numInvalidUtf8 === 0 && values.every(isIntString);
  if (intEncoded) out.int_encoded = true;
  // Presence as TFDV's InitValueCountAndPresence: min_count 1 once seen, min_fraction 1 if never missing.
  if (f.numPresent === 0) out.presence = { min_count: 0 };
  else if (f.numMissing === 0) out.presence = { min_fraction: 1, min_count: 1 };
  else out.presence = { min_count: 1 };
  // A domain only from an exact value list: a truncated one would make every unseen value an anomaly.
  if (out.type === 'string' && !intEncoded && c && c.rankHistogramExact && c.numInvalidUtf8 === 0 && values.length > 0 && values.length <= MAX_DOMAIN_VALUES) {
    out.domain = [...values].sort(byCodePoint);
  }
  if (out.type === 'float' && (f.numeric?.numNan ?? 0) > 0) out.allow_nan = true;
  if (out.type === 'int' && c) out.categorical = true;
  return out;
}

function inferType(f: FeatureStatistics): FeatureSchema['type'] {
  if (f.type === 'int' && f.numeric && f.numPresent > 0 && f.numeric.min >= 0 && f.numeric.max <= 1 && f.numeric.numNan === 0) return 'bool';
  return f.type;
}
