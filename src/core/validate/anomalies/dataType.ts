import type { ColumnType } from '../../data/cells';
import type { FeatureSchema } from '../../schema/types';
import type { FeatureStatistics } from '../../stats/types';
import { byCodePoint } from '../comparators/view';
import { type Finding, INVALID_VALUES } from './finding';

/**
 * Whether data of type `data` fits a schema type. Types are inferred per file, so a batch can be
 * narrower than the schema without being wrong: an int column whose batch is all 0/1 is typed
 * int (or bool), a float column whose batch holds only whole numbers is typed int, and a string
 * column whose batch happens to be all numbers is typed numeric. Only a wider type is an anomaly.
 */
export function typeFits(schema: ColumnType, data: ColumnType, stats: FeatureStatistics): boolean {
  if (schema === data || schema === 'string') return true;
  if (schema === 'float') return data === 'int' || data === 'bool';
  if (schema === 'int') return data === 'bool';
  // schema bool: 0/1 integers (TFDV's bool domain on an int feature) or true/false.
  if (data === 'int') return !stats.numeric || (stats.numeric.min >= 0 && stats.numeric.max <= 1);
  return false;
}

export function dataType(feature: FeatureSchema, stats: FeatureStatistics): Finding[] {
  if (stats.numPresent === 0 || typeFits(feature.type, stats.type, stats)) return [];
  const details: Record<string, unknown> = { expectedType: feature.type, observedType: stats.type };
  if (stats.numeric) Object.assign(details, { observedMin: stats.numeric.min, observedMax: stats.numeric.max });
  return [
    {
      type: 'UNEXPECTED_DATA_TYPE',
      shortDescription: 'Unexpected data type',
      description: `Expected data of type: ${feature.type} but got ${stats.type}`,
      details,
    },
  ];
}

const INT_TEXT = /^[+-]?\d+$/;

/** An int64 as TFDV's SimpleAtoi reads it: optional sign, digits, within the 64-bit range. */
export function isIntString(s: string): boolean {
  if (!INT_TEXT.test(s.trim())) return false;
  const n = BigInt(s.trim());
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

export function isFloatString(s: string): boolean {
  const t = s.trim().toLowerCase();
  if (/^[+-]?(inf|infinity|nan)$/.test(t)) return true;
  return t !== '' && /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t);
}

/**
 * Int- or float-encoded strings whose values do not parse (INT_TYPE_NOT_INT_STRING,
 * FLOAT_TYPE_STRING_NOT_FLOAT). TFDV names one example; we name the first in code point order (so
 * the text is stable) and list them all in details.
 */
export function encodedStrings(feature: FeatureSchema, stats: FeatureStatistics): Finding[] {
  if (stats.type !== 'string' || !stats.categorical) return [];
  const values = stats.categorical.rankHistogram.map((b) => b.value);
  const encodings: { declared: boolean | undefined; parses: (s: string) => boolean; type: Finding['type']; what: string }[] = [
    { declared: feature.int_encoded, parses: isIntString, type: 'INT_TYPE_NOT_INT_STRING', what: 'ints' },
    { declared: feature.float_encoded, parses: isFloatString, type: 'FLOAT_TYPE_STRING_NOT_FLOAT', what: 'floats' },
  ];
  return encodings.flatMap(({ declared, parses, type, what }) => {
    const bad = declared ? values.filter((v) => !parses(v)).sort(byCodePoint) : [];
    if (!bad.length) return [];
    const description = `String values that were not ${what} were found, such as "${bad[0]}".`;
    return [{ type, shortDescription: INVALID_VALUES, description, details: { invalidValues: bad } }];
  });
}

/** NaN in a float feature whose schema does not allow it (TFDV's float_domain.disallow_nan). */
export function nan(feature: FeatureSchema, stats: FeatureStatistics): Finding[] {
  if (feature.type !== 'float' || feature.allow_nan === true) return [];
  const numNan = stats.numeric?.numNan ?? 0;
  if (numNan === 0) return [];
  return [{ type: 'FLOAT_TYPE_HAS_NAN', shortDescription: INVALID_VALUES, description: 'Float feature has NaN values.', details: { numNan } }];
}
