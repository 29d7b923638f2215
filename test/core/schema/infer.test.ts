import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatSchema, inferSchema } from '../../../src/core/schema';
import { categoricalStats, cycle, dataset, numericFeature, stringFeature } from '../validate/fixtures';

describe('inferSchema (TFDV rules)', () => {
  it('types, bool for 0/1 integers and true/false, presence', () => {
    const stats = dataset('train', 4, [
      numericFeature('hour', [1, 5, 23, 7]),
      numericFeature('fare', [1.5, null, 3.25, 4]),
      numericFeature('flag', [0, 1, 1, null]),
      stringFeature('paid', ['true', 'false', 'true', 'true'], 'bool'),
      stringFeature('company', ['A', null, null, null]),
    ]);
    const s = inferSchema(stats);
    assert.deepEqual(Object.keys(s.features), ['company', 'fare', 'flag', 'hour', 'paid']);
    assert.deepEqual(s.features.hour, { type: 'int', presence: { min_fraction: 1, min_count: 1 } });
    assert.deepEqual(s.features.fare, { type: 'float', presence: { min_count: 1 } });
    assert.equal(s.features.flag.type, 'bool');
    assert.equal(s.features.paid.type, 'bool');
    assert.deepEqual(s.features.company, { type: 'string', presence: { min_count: 1 }, domain: ['A'] });
    assert.equal(s.version, 1);
    assert.equal(s.$schema, undefined);
    // No numeric ranges by default.
    assert.ok(Object.values(s.features).every((f) => f.range === undefined));
  });

  it('string domain only for at most 100 distinct values and an exact value list', () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => `v${String(i).padStart(3, '0')}`);
    const s100 = inferSchema(dataset('t', 100, [stringFeature('s', values(100))]));
    assert.equal(s100.features.s.domain?.length, 100);
    assert.deepEqual(s100.features.s.domain?.slice(0, 2), ['v000', 'v001']);
    assert.equal(inferSchema(dataset('t', 101, [stringFeature('s', values(101))])).features.s.domain, undefined);
    const inexact = { ...stringFeature('s', ['a', 'b']), categorical: { ...categoricalStats(['a', 'b']), rankHistogramExact: false } };
    assert.equal(inferSchema(dataset('t', 2, [inexact])).features.s.domain, undefined);
    // Domain values in code point order, not frequency order.
    assert.deepEqual(inferSchema(dataset('t', 4, [stringFeature('s', ['b', 'b', 'B', 'a'])])).features.s.domain, ['B', 'a', 'b']);
  });

  it('int-encoded strings get int_encoded and no domain; NaN in training is allowed', () => {
    const s = inferSchema(dataset('t', 3, [stringFeature('tract', ['17031', '-4', '17031']), numericFeature('x', [1.5, NaN, 2])]));
    assert.deepEqual(s.features.tract, { type: 'string', int_encoded: true, presence: { min_fraction: 1, min_count: 1 } });
    assert.equal(s.features.x.allow_nan, true);
  });

  it('environments become not_in_environment; output is stable', () => {
    const stats = dataset('train', 6, [numericFeature('tips', cycle([0, 1.5], 6)), stringFeature('company', cycle(['A', 'B'], 6))]);
    const s = inferSchema(stats, { environments: { serving: ['tips'], audit: ['tips', 'company'] } });
    assert.deepEqual(s.features.tips.not_in_environment, ['audit', 'serving']);
    assert.deepEqual(s.features.company.not_in_environment, ['audit']);
    const reversed = inferSchema({ ...stats, features: [...stats.features].reverse() }, { environments: { audit: ['company', 'tips'], serving: ['tips'] } });
    assert.equal(formatSchema(reversed), formatSchema(s));
    assert.match(formatSchema(s), /^\{\n {2}"version": 1,\n {2}"features": \{\n {4}"company": \{/);
  });
});
