import type { FeatureSchema } from '../../schema/types';
import type { FeatureStatistics } from '../../stats/types';
import { sixDigits } from '../format';
import { isIntString } from './dataType';
import { type Finding, OUT_OF_RANGE } from './finding';

/** Observed min/max: numeric statistics (±inf included), or an int-encoded string's parsed values. */
function observedRange(feature: FeatureSchema, stats: FeatureStatistics): { min: number; max: number } | undefined {
  const n = stats.numeric;
  if (n && stats.type !== 'string') {
    if (stats.numPresent - n.numNan === 0) return undefined;
    return { min: n.numNegInf > 0 ? -Infinity : n.min, max: n.numPosInf > 0 ? Infinity : n.max };
  }
  if (feature.int_encoded && stats.categorical) {
    const values = stats.categorical.rankHistogram
      .map((b) => b.value)
      .filter(isIntString)
      .map(Number);
    if (values.length) return { min: Math.min(...values), max: Math.max(...values) };
  }
  return undefined;
}

/** TFDV's int and float domain bounds, with its messages (int_domain_util.cc, float_domain_util.cc). */
export function range(feature: FeatureSchema, stats: FeatureStatistics): Finding[] {
  const r = feature.range;
  if (!r || (r.min === undefined && r.max === undefined)) return [];
  const observed = observedRange(feature, stats);
  if (!observed) return [];
  const details = { observedMin: observed.min, observedMax: observed.max };
  const out: Finding[] = [];
  const isInt = feature.type === 'int' || (feature.type === 'string' && feature.int_encoded);
  if (r.min !== undefined && observed.min < r.min) {
    out.push(
      isInt
        ? { type: 'INT_TYPE_SMALL_INT', shortDescription: OUT_OF_RANGE, description: `Unexpectedly small value: ${observed.min}.`, details }
        : {
            type: 'FLOAT_TYPE_SMALL_FLOAT',
            shortDescription: OUT_OF_RANGE,
            description: `Unexpectedly low values: ${sixDigits(observed.min)}<${sixDigits(r.min)}(upto six significant digits)`,
            details,
          },
    );
  }
  if (r.max !== undefined && observed.max > r.max) {
    out.push(
      isInt
        ? { type: 'INT_TYPE_BIG_INT', shortDescription: OUT_OF_RANGE, description: `Unexpectedly large value: ${observed.max}.`, details }
        : {
            type: 'FLOAT_TYPE_BIG_FLOAT',
            shortDescription: OUT_OF_RANGE,
            description: `Unexpectedly high value: ${sixDigits(observed.max)}>${sixDigits(r.max)}(upto six significant digits)`,
            details,
          },
    );
  }
  return out;
}
