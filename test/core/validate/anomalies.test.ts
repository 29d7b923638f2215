import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DataSchema } from '../../../src/core/schema/types';
import { validateStatistics, type ValidateInput } from '../../../src/core/validate';
import { shareText, sixDigits } from '../../../src/core/validate/format';
import type { Anomaly, AnomalyType } from '../../../src/core/validate/types';
import { categoricalStats, cycle, dataset, numericFeature, stringFeature, viewOf } from './fixtures';

const run = (input: Omit<ValidateInput, 'environment' | 'viewOf'> & { environment?: string }) => validateStatistics({ environment: '', viewOf, ...input });

function only(anomalies: Anomaly[], type: AnomalyType): Anomaly {
  const found = anomalies.filter((a) => a.type === type);
  assert.equal(found.length, 1, `one ${type} in ${JSON.stringify(anomalies.map((a) => a.type))}`);
  return found[0];
}

const schemaOf = (features: DataSchema['features'], extra: Partial<DataSchema> = {}): DataSchema => ({ version: 1, features, ...extra });

describe('description formatting', () => {
  it('writes numbers like absl::SixDigits (%g)', () => {
    assert.equal(sixDigits(0.0622), '0.0622');
    assert.equal(sixDigits(0.1), '0.1');
    assert.equal(sixDigits(1234567), '1.23457e+06');
    assert.equal(sixDigits(0.00001234), '1.234e-05');
    assert.equal(sixDigits(123456), '123456');
    assert.equal(sixDigits(2 / 3), '0.666667');
    assert.equal(sixDigits(5), '5');
    assert.equal(sixDigits(-0.5), '-0.5');
  });

  it('writes shares as <1% or ~N% (floor)', () => {
    assert.equal(shareText(1, 200), '<1%');
    assert.equal(shareText(2, 200), '~1%');
    assert.equal(shareText(259, 1000), '~25%');
    assert.equal(shareText(1, 0), '?');
  });
});

describe('schema anomalies', () => {
  it('ENUM_TYPE_UNEXPECTED_STRING_VALUES lists values in lexicographic order with shares', () => {
    const cells = [...cycle(['Cash', 'Credit Card'], 180), ...cycle(['Mobile'], 18), 'Prcard', 'Dispute'];
    const r = run({
      stats: dataset('eval', 200, [stringFeature('payment_type', cells)]),
      schema: schemaOf({ payment_type: { type: 'string', domain: ['Cash', 'Credit Card'], presence: { min_count: 1 } } }),
    });
    const a = only(r.anomalies, 'ENUM_TYPE_UNEXPECTED_STRING_VALUES');
    assert.equal(a.shortDescription, 'Unexpected string values');
    assert.equal(a.description, 'Examples contain values missing from the schema: Dispute (<1%), Mobile (~9%), Prcard (<1%).');
    assert.equal(a.severity, 'error');
    assert.equal(a.dataset, 'eval');
    assert.deepEqual(a.details?.unexpectedValues, ['Dispute', 'Mobile', 'Prcard']);
    assert.equal(r.anomalies.length, 1);
  });

  it('max_off_domain_fraction allows some off-domain mass, and severity comes from the feature', () => {
    const cells = [...cycle(['a'], 95), ...cycle(['z'], 5)];
    const schema = (max: number) => schemaOf({ f: { type: 'string', domain: ['a'], max_off_domain_fraction: max, severity: 'warning' } });
    assert.equal(run({ stats: dataset('d', 100, [stringFeature('f', cells)]), schema: schema(0.05) }).anomalies.length, 0);
    const a = only(run({ stats: dataset('d', 100, [stringFeature('f', cells)]), schema: schema(0.04) }).anomalies, 'ENUM_TYPE_UNEXPECTED_STRING_VALUES');
    assert.equal(a.severity, 'warning');
  });

  it('SCHEMA_MISSING_COLUMN and SCHEMA_NEW_COLUMN', () => {
    const r = run({ stats: dataset('d', 3, [numericFeature('extra', [1, 2, 3])]), schema: schemaOf({ gone: { type: 'int', presence: { min_count: 1 } } }) });
    const missing = only(r.anomalies, 'SCHEMA_MISSING_COLUMN');
    assert.deepEqual([missing.feature, missing.shortDescription, missing.description], ['gone', 'Column dropped', 'Column is completely missing']);
    const added = only(r.anomalies, 'SCHEMA_NEW_COLUMN');
    assert.deepEqual([added.feature, added.shortDescription, added.description], ['extra', 'New column', 'New column (column in data but not in schema)']);
    // A column allowed to be absent (min_count 0) is not missing.
    assert.equal(run({ stats: dataset('d', 3, []), schema: schemaOf({ opt: { type: 'int', presence: { min_count: 0 } } }) }).anomalies.length, 0);
  });

  it('environments: a feature not in this environment is neither missing nor checked', () => {
    const schema = schemaOf({ tips: { type: 'float', presence: { min_fraction: 1, min_count: 1 }, not_in_environment: ['serving'] } });
    assert.equal(run({ stats: dataset('serving', 5, []), schema, environment: 'serving' }).anomalies.length, 0);
    only(run({ stats: dataset('eval', 5, []), schema, environment: 'training' }).anomalies, 'SCHEMA_MISSING_COLUMN');
    only(run({ stats: dataset('eval', 5, []), schema }).anomalies, 'SCHEMA_MISSING_COLUMN');
  });

  it('presence: FEATURE_TYPE_LOW_FRACTION_PRESENT and FEATURE_TYPE_LOW_NUMBER_PRESENT', () => {
    const f = numericFeature('x', [1, null, 3, 4]);
    const a = only(
      run({ stats: dataset('d', 4, [f]), schema: schemaOf({ x: { type: 'int', presence: { min_fraction: 1, min_count: 1 } } }) }).anomalies,
      'FEATURE_TYPE_LOW_FRACTION_PRESENT',
    );
    assert.deepEqual([a.shortDescription, a.description], ['Column dropped', 'The feature was present in fewer examples than expected.']);
    assert.equal(a.details?.observedFraction, 0.75);
    const b = only(
      run({ stats: dataset('d', 4, [f]), schema: schemaOf({ x: { type: 'int', presence: { min_count: 5 } } }) }).anomalies,
      'FEATURE_TYPE_LOW_NUMBER_PRESENT',
    );
    assert.equal(b.description, 'The feature was present in fewer examples than expected.');
    assert.equal(b.details?.observedCount, 3);
  });

  it('UNEXPECTED_DATA_TYPE only for a wider type than the schema', () => {
    const stats = dataset('d', 3, [
      numericFeature('i', [1.5, 2, 3]),
      numericFeature('f', [1, 2, 3]),
      numericFeature('b', [0, 1, 2]),
      numericFeature('b01', [0, 1, 1]),
      stringFeature('s', ['x', '1', 'y']),
    ]);
    const r = run({ stats, schema: schemaOf({ i: { type: 'int' }, f: { type: 'float' }, b: { type: 'bool' }, b01: { type: 'bool' }, s: { type: 'int' } }) });
    const types = r.anomalies.filter((a) => a.type === 'UNEXPECTED_DATA_TYPE');
    assert.deepEqual(
      types.map((a) => [a.feature, a.description]),
      [
        ['b', 'Expected data of type: bool but got int'],
        ['i', 'Expected data of type: int but got float'],
        ['s', 'Expected data of type: int but got string'],
      ],
    );
    assert.equal(types[0].shortDescription, 'Unexpected data type');
    assert.deepEqual([types[0].details?.observedMin, types[0].details?.observedMax], [0, 2]);
  });

  it('out-of-range values: INT_TYPE_SMALL_INT / BIG_INT and FLOAT_TYPE_SMALL_FLOAT / BIG_FLOAT', () => {
    const stats = dataset('d', 3, [numericFeature('hour', [-1, 5, 24]), numericFeature('fare', [-2.5, 3, 1234567.8])]);
    const r = run({ stats, schema: schemaOf({ hour: { type: 'int', range: { min: 0, max: 23 } }, fare: { type: 'float', range: { min: 0, max: 1000 } } }) });
    assert.equal(only(r.anomalies, 'INT_TYPE_SMALL_INT').description, 'Unexpectedly small value: -1.');
    assert.equal(only(r.anomalies, 'INT_TYPE_BIG_INT').description, 'Unexpectedly large value: 24.');
    assert.equal(only(r.anomalies, 'FLOAT_TYPE_SMALL_FLOAT').description, 'Unexpectedly low values: -2.5<0(upto six significant digits)');
    const big = only(r.anomalies, 'FLOAT_TYPE_BIG_FLOAT');
    assert.equal(big.description, 'Unexpectedly high value: 1.23457e+06>1000(upto six significant digits)');
    assert.equal(big.shortDescription, 'Out-of-range values');
    assert.deepEqual([big.details?.observedMin, big.details?.observedMax], [-2.5, 1234567.8]);
  });

  it('INT_TYPE_NOT_INT_STRING and FLOAT_TYPE_STRING_NOT_FLOAT', () => {
    const stats = dataset('d', 4, [stringFeature('tract', ['17031', '17032', 'n/a', 'x1']), stringFeature('amount', ['1.5', '2e3', 'ten', 'nan'])]);
    const r = run({ stats, schema: schemaOf({ tract: { type: 'string', int_encoded: true }, amount: { type: 'string', float_encoded: true } }) });
    const i = only(r.anomalies, 'INT_TYPE_NOT_INT_STRING');
    assert.deepEqual([i.shortDescription, i.description], ['Invalid values', 'String values that were not ints were found, such as "n/a".']);
    assert.deepEqual(i.details?.invalidValues, ['n/a', 'x1']);
    assert.equal(only(r.anomalies, 'FLOAT_TYPE_STRING_NOT_FLOAT').description, 'String values that were not floats were found, such as "ten".');
  });

  it('FLOAT_TYPE_HAS_NAN unless allow_nan', () => {
    const stats = dataset('d', 3, [numericFeature('x', [1.5, NaN, 2])]);
    const a = only(run({ stats, schema: schemaOf({ x: { type: 'float' } }) }).anomalies, 'FLOAT_TYPE_HAS_NAN');
    assert.deepEqual([a.shortDescription, a.description, a.details?.numNan], ['Invalid values', 'Float feature has NaN values.', 1]);
    assert.equal(run({ stats, schema: schemaOf({ x: { type: 'float', allow_nan: true } }) }).anomalies.length, 0);
  });

  it('FEATURE_TYPE_LOW_UNIQUE and FEATURE_TYPE_HIGH_UNIQUE', () => {
    const stats = dataset('d', 6, [stringFeature('few', cycle(['a', 'b'], 6)), stringFeature('many', ['a', 'b', 'c', 'd', 'e', 'f'])]);
    const r = run({ stats, schema: schemaOf({ few: { type: 'string', unique: { min: 3 } }, many: { type: 'string', unique: { max: 4 } } }) });
    const low = only(r.anomalies, 'FEATURE_TYPE_LOW_UNIQUE');
    assert.deepEqual(
      [low.shortDescription, low.description, low.details?.observedUnique],
      ['Low number of unique values', 'Expected at least 3 unique values but found only 2.', 2],
    );
    const high = only(r.anomalies, 'FEATURE_TYPE_HIGH_UNIQUE');
    assert.deepEqual([high.shortDescription, high.description], ['High number of unique values', 'Expected no more than 4 unique values but found 6.']);
  });

  it('DATASET_LOW/HIGH_NUM_EXAMPLES and COMPARATOR_LOW/HIGH_NUM_EXAMPLES', () => {
    const schema = schemaOf({}, { num_examples: { min: 10, max: 20 }, num_examples_change: { min_fraction: 0.8, max_fraction: 1.2 } });
    const low = run({ stats: dataset('train/2', 5, []), previous: dataset('train/1', 8, []), schema });
    assert.deepEqual(
      [only(low.anomalies, 'DATASET_LOW_NUM_EXAMPLES').shortDescription, only(low.anomalies, 'DATASET_LOW_NUM_EXAMPLES').description],
      ['Low num examples in dataset.', 'The dataset has 5 examples, which is fewer than expected.'],
    );
    const c = only(low.anomalies, 'COMPARATOR_LOW_NUM_EXAMPLES');
    assert.equal(c.feature, null);
    assert.equal(c.shortDescription, 'Low num examples in current dataset versus the previous span.');
    assert.equal(
      c.description,
      'The ratio of num examples in the current dataset versus the previous span is 0.625 (up to six significant digits), which is below the threshold 0.8.',
    );
    const high = run({ stats: dataset('train/2', 30, []), previous: dataset('train/1', 9, []), schema });
    assert.equal(only(high.anomalies, 'DATASET_HIGH_NUM_EXAMPLES').description, 'The dataset has 30 examples, which is more than expected.');
    assert.equal(
      only(high.anomalies, 'COMPARATOR_HIGH_NUM_EXAMPLES').description,
      'The ratio of num examples in the current dataset versus the previous span is 3.33333 (up to six significant digits), which is above the threshold 1.2.',
    );
    const fromZero = run({ stats: dataset('train/2', 15, []), previous: dataset('train/1', 0, []), schema });
    assert.equal(
      only(fromZero.anomalies, 'COMPARATOR_HIGH_NUM_EXAMPLES').shortDescription,
      'High num examples in current dataset versus the previous span, which has 0.',
    );
  });

  it('orders anomalies: dataset-level first, then by feature', () => {
    const r = run({
      stats: dataset('d', 1, [numericFeature('b', [1]), numericFeature('a', [1])]),
      schema: schemaOf({ c: { type: 'int' } }, { num_examples: { min: 2 } }),
    });
    assert.deepEqual(
      r.anomalies.map((a) => a.feature),
      [null, 'a', 'b', 'c'],
    );
  });
});

describe('drift and skew comparators in validation', () => {
  const company = (n: number, shares: Record<string, number>) => {
    const cells: string[] = [];
    for (const [v, s] of Object.entries(shares)) cells.push(...cycle([v], Math.round(n * s)));
    return stringFeature('company', cells);
  };

  it('reports every compared value, fired or not, with TFDV sentences for L-infinity', () => {
    const schema = schemaOf({ company: { type: 'string', drift: { linf: 0.05, chi2: 0.05 } }, fare: { type: 'float', drift: { jsd: 0.5 } } });
    const cur = dataset('train/2', 100, [company(100, { A: 0.6, B: 0.4 }), numericFeature('fare', cycle([1.5, 2.5, 3.5], 100))]);
    const prev = dataset('train/1', 100, [company(100, { A: 0.5, B: 0.5 }), numericFeature('fare', cycle([1.5, 2.5, 3.5], 100))]);
    const r = run({ stats: cur, previous: prev, schema });
    assert.deepEqual(
      r.drift.map((d) => [d.feature, d.method, d.fired]),
      [
        ['company', 'linf', true],
        ['company', 'chi2', false],
        ['fare', 'jsd', false],
      ],
    );
    const linf = r.drift[0];
    assert.ok(Math.abs(linf.value - 0.1) < 1e-12);
    assert.equal(linf.at, 'A');
    assert.deepEqual([linf.current, linf.reference, linf.kind, linf.threshold], ['train/2', 'train/1', 'drift', 0.05]);
    const a = only(r.anomalies, 'COMPARATOR_L_INFTY_HIGH');
    assert.equal(a.shortDescription, 'High Linfty distance between current and previous');
    assert.equal(
      a.description,
      'The Linfty distance between current and previous is 0.1 (up to six significant digits), above the threshold 0.05. The feature value with maximum difference is: A',
    );
    assert.ok(r.drift[1].pValue! > 0.05);
  });

  it('skew is training vs serving; CLI/pipeline thresholds replace the schema’s for a feature', () => {
    const schema = schemaOf({ fare: { type: 'float', skew: { jsd: 0.9 } } });
    const train = dataset('train', 200, [
      numericFeature(
        'fare',
        Array.from({ length: 200 }, (_, i) => i / 200),
      ),
    ]);
    const serving = dataset('serving', 200, [
      numericFeature(
        'fare',
        Array.from({ length: 200 }, (_, i) => 0.5 + i / 200),
      ),
    ]);
    const r = run({ stats: train, serving, schema, thresholds: { skew: { fare: { wasserstein: 0.1, ks: 0.05 } } } });
    assert.deepEqual(
      r.skew.map((s) => s.method),
      ['wasserstein', 'ks'],
    );
    assert.ok(r.skew.every((s) => s.fired && s.kind === 'skew'));
    const w = only(r.anomalies, 'COMPARATOR_WASSERSTEIN_HIGH');
    assert.match(w.shortDescription, /between training and serving/);
    only(r.anomalies, 'COMPARATOR_KS_TEST');
    assert.equal(r.drift.length, 0);
  });

  it('auto: p-value tests up to 1000 rows, distances above', () => {
    const small = (shift: number, n: number) =>
      numericFeature(
        'x',
        Array.from({ length: n }, (_, i) => (i % 50) + shift),
      );
    const schema = schemaOf({ x: { type: 'float', drift: { auto: true } }, c: { type: 'string', drift: { auto: true } } });
    const few = run({
      stats: dataset('cur', 500, [small(0.5, 500), stringFeature('c', cycle(['a', 'b'], 500))]),
      previous: dataset('prev', 500, [small(0, 500), stringFeature('c', cycle(['a', 'b', 'b'], 500))]),
      schema,
    });
    assert.deepEqual(
      few.drift.map((d) => [d.feature, d.method, d.threshold, d.auto]),
      [
        ['c', 'chi2', 0.05, true],
        ['x', 'ks', 0.05, true],
      ],
    );
    const many = run({
      stats: dataset('cur', 5000, [small(0.5, 5000), stringFeature('c', cycle(['a', 'b'], 5000))]),
      previous: dataset('prev', 5000, [small(0, 5000), stringFeature('c', cycle(['a', 'b', 'b'], 5000))]),
      schema,
    });
    assert.deepEqual(
      many.drift.map((d) => [d.feature, d.method]),
      [
        ['c', 'jsd'],
        ['x', 'wasserstein'],
      ],
    );
    // A 0.5 shift of values spread over 0..49 (std ≈ 14.4) is no drift as a distance, though KS on 5000 rows would flag it.
    assert.equal(many.drift[1].fired, false);
  });

  it('leaves out features not in the environment and features absent on one side', () => {
    const schema = schemaOf({ tips: { type: 'float', not_in_environment: ['serving'], skew: { jsd: 0.1 } }, fare: { type: 'float', skew: { jsd: 0.1 } } });
    const train = dataset('train', 3, [numericFeature('fare', [1, 2, 3]), numericFeature('tips', [0, 1, 2])]);
    const serving = dataset('serving', 3, [numericFeature('fare', [1, 2, 3])]);
    const r = run({ stats: train, serving, schema, environment: 'training' });
    assert.deepEqual(
      r.skew.map((s) => [s.feature, s.value]),
      [['fare', 0]],
    );
    // categorical stats on an int feature work for L-infinity
    const cat = { ...numericFeature('hour', [1, 2, 2]), categorical: categoricalStats(['1', '2', '2']) };
    const r2 = run({
      stats: dataset('a', 3, [cat]),
      previous: dataset('b', 3, [cat]),
      schema: schemaOf({ hour: { type: 'int', categorical: true, drift: { linf: 0.1 } } }),
    });
    assert.deepEqual(
      r2.drift.map((d) => [d.method, d.value]),
      [['linf', 0]],
    );
  });
});
