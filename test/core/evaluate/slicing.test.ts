import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SliceSpec } from '../../../src/core/pipeline/config';
import { slicesFor } from '../../../src/core/evaluate/slicing';
import type { FeatureValue } from '../../../src/core/evaluate/types';
import { assertUserError, located } from './fixtures';

const features = new Map<string, FeatureValue[]>([
  ['hour', [3, 1, 10, 1, null, 3, 10, 1]],
  ['payment', ['Cash', 'Card', 'Cash', 'Cash', 'Card', 'Card', 'Mobile', 'Cash']],
  ['tips', [true, false, true, false, true, false, true, true]],
  ['fare', [1, 2, 3, 4, 5, 6, 7, 8]],
]);

const slices = (...specs: SliceSpec[]) =>
  slicesFor(
    specs.map((s, i) => located(s, 20 + i)),
    features,
    8,
  ).map((s) => ({ name: s.name, rows: [...s.rows] }));

describe('slices', () => {
  it('one per value of a feature, sorted numerically, rows missing the value in none', () => {
    assert.deepEqual(slices({ features: ['hour'] }), [
      { name: 'hour:1', rows: [1, 3, 7] },
      { name: 'hour:3', rows: [0, 5] },
      { name: 'hour:10', rows: [2, 6] },
    ]);
  });

  it('crosses several features as a_X_b:v1_X_v2, only the combinations present', () => {
    const crossed = slicesFor([located({ features: ['payment', 'tips'] })], features, 8);
    assert.deepEqual(
      crossed.map((s) => s.name),
      [
        'payment_X_tips:Card_X_false',
        'payment_X_tips:Card_X_true',
        'payment_X_tips:Cash_X_false',
        'payment_X_tips:Cash_X_true',
        'payment_X_tips:Mobile_X_true',
      ],
    );
    assert.deepEqual(crossed[3], {
      name: 'payment_X_tips:Cash_X_true',
      spec: 'payment_X_tips',
      features: { payment: 'Cash', tips: 'true' },
      rows: Int32Array.from([0, 2, 7]),
    });
  });

  it('keep spec order, skip the Overall spec, and restrict to listed values', () => {
    const names = slices(
      { features: ['tips'] },
      { features: [] },
      { features: ['payment', 'hour'], values: { payment: ['Cash', 'Mobile'], hour: ['10'] } },
    ).map((s) => s.name);
    assert.deepEqual(names, ['tips:false', 'tips:true', 'payment_X_hour:Cash_X_10', 'payment_X_hour:Mobile_X_10']);
  });

  it('bucket a numeric feature into quantile buckets named [lower, upper), the last closed', () => {
    assert.deepEqual(slices({ features: ['fare'], buckets: { fare: 3 } }), [
      { name: 'fare:[1, 3)', rows: [0, 1] },
      { name: 'fare:[3, 6)', rows: [2, 3, 4] },
      { name: 'fare:[6, 8]', rows: [5, 6, 7] },
    ]);
  });

  it('merge tied quantiles and print boundaries compactly', () => {
    const skewed = new Map<string, FeatureValue[]>([['x', [0.1 + 0.2, 0.1 + 0.2, 0.1 + 0.2, 0.1 + 0.2, 2.5, '7.25', null]]]);
    const names = slicesFor([located({ features: ['x'], buckets: { x: 4 } })], skewed, 7).map((s) => `${s.name} ${s.rows.length}`);
    assert.deepEqual(names, ['x:[0.3, 2.5) 4', 'x:[2.5, 7.25] 2']);
  });

  it('report a feature the data lacks, or a non-numeric bucketed value, at the slice', () => {
    assertUserError(() => slices({ features: ['hours'] }), 20, "slice feature 'hours'", "did you mean 'hour'", 'hour, payment, tips, fare');
    assertUserError(() => slices({ features: ['tips'] }, { features: ['payment'], buckets: { payment: 2 } }), 21, "'payment' is bucketed", "'Cash'");
  });
});
