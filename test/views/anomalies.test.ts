import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixTitle } from '../../src/extension/anomalies/fixes';

test('fix titles show figures to four significant digits, never a float dump', () => {
  const raise = fixTitle({ kind: 'raiseThreshold', feature: 'payment_type', comparator: 'drift', method: 'linf', observed: 0.42245917384087883, value: 0.47 });
  assert.equal(raise, "Raise payment_type's drift linf threshold to 0.47 (observed 0.4225 + 10%)");
  const lower = fixTitle({ kind: 'raiseThreshold', feature: 'fare', comparator: 'skew', method: 'ks', observed: 0.0123456789, value: 0.011 });
  assert.match(lower, /p-value threshold to 0\.011 \(observed p 0\.01235 − 10%\)/);
  assert.equal(fixTitle({ kind: 'widenRange', feature: 'fare', bound: 'max', value: 103.33333333333333 }), "Widen fare's range: max 103.3");
});
