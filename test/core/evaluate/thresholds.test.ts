import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateModel } from '../../../src/core/evaluate';
import type { ThresholdSpec } from '../../../src/core/pipeline/config';
import { bless, resolveThresholds, type CheckedValues, type ThresholdContext } from '../../../src/core/evaluate/thresholds';
import { assertUserError, at, binaryData, located, request } from './fixtures';

const context: ThresholdContext = {
  task: 'binary',
  slices: [
    { name: 'Overall', spec: 'Overall', count: 100 },
    { name: 'hour:1', spec: 'hour', count: 60 },
    { name: 'hour:2', spec: 'hour', count: 35 },
    { name: 'hour:3', spec: 'hour', count: 5 },
  ],
  minSliceSize: 10,
  fairness: [],
};

const threshold = (spec: Partial<ThresholdSpec> & { metric: string }, line = 40) => located<ThresholdSpec>({ slices: 'overall', ...spec }, line);

function checks(spec: Partial<ThresholdSpec> & { metric: string }, values: CheckedValues, baseline = values.baseline ? 'taxi@1' : undefined) {
  const resolved = resolveThresholds([threshold(spec)], context);
  return bless(resolved, { slices: new Map(context.slices.map((s) => [s.name, values])), fairness: new Map() }, baseline);
}

describe('value thresholds', () => {
  it('are inclusive bounds', () => {
    const at09 = { candidate: { auc: 0.9 } };
    assert.deepEqual(checks({ metric: 'auc', lower: 0.9 }, at09), {
      blessed: true,
      checks: [{ metric: 'auc', slice: 'Overall', kind: 'value', value: 0.9, lower: 0.9, outcome: 'passed', reason: '0.9 ≥ 0.9' }],
    });
    assert.equal(checks({ metric: 'auc', lower: 0.8, upper: 0.9 }, at09).checks[0].reason, '0.8 ≤ 0.9 ≤ 0.9');
    const failed = checks({ metric: 'auc', lower: 0.95 }, { candidate: { auc: 0.951 - 0.002 } });
    assert.equal(failed.blessed, false);
    assert.equal(failed.checks[0].reason, '0.949 < 0.95');
    assert.equal(checks({ metric: 'log_loss', upper: 0.3 }, { candidate: { log_loss: 0.31 } }).checks[0].reason, '0.31 > 0.3');
  });

  it('fail on a metric that could not be computed', () => {
    const result = checks({ metric: 'auc', lower: 0.5 }, { candidate: { auc: null } });
    assert.equal(result.blessed, false);
    assert.deepEqual(result.checks[0].value, null);
    assert.match(result.checks[0].reason, /auc could not be computed/);
  });
});

describe('change thresholds', () => {
  it('compare candidate − baseline in the higher-is-better direction, absolute and relative', () => {
    const values = { candidate: { auc: 0.9 }, baseline: { auc: 0.912 } };
    const failed = checks({ metric: 'auc', change: { absolute: -0.01, direction: 'higher' } }, values);
    assert.equal(failed.blessed, false);
    assert.equal(failed.baseline, 'taxi@1');
    assert.equal(failed.checks[0].outcome, 'failed');
    assert.equal(failed.checks[0].reason, '−0.012 < −0.01 (candidate 0.9, baseline 0.912)');
    assert.ok(Math.abs(failed.checks[0].change! + 0.012) < 1e-12);
    // −1.3 % of 0.912 is within a 2 % allowance.
    const relative = checks({ metric: 'auc', change: { relative: -0.02, direction: 'higher' } }, values);
    assert.equal(relative.checks[0].outcome, 'passed');
    assert.equal(relative.checks[0].reason, '−1.31579% ≥ −2% (candidate 0.9, baseline 0.912)');
    // Both bounds must hold; the reason names the one that failed.
    const both = checks({ metric: 'auc', change: { absolute: -0.02, relative: -0.01, direction: 'higher' } }, values);
    assert.equal(both.checks[0].outcome, 'failed');
    assert.match(both.checks[0].reason, /^−1\.31579% < −1% /);
  });

  it('read lower-is-better metrics the other way', () => {
    const worse = checks(
      { metric: 'log_loss', change: { absolute: 0.01, direction: 'lower' } },
      { candidate: { log_loss: 0.3 }, baseline: { log_loss: 0.28 } },
    );
    assert.equal(worse.checks[0].outcome, 'failed');
    assert.equal(worse.checks[0].reason, '+0.02 > +0.01 (candidate 0.3, baseline 0.28)');
    const better = checks({ metric: 'log_loss', change: { absolute: 0, direction: 'lower' } }, { candidate: { log_loss: 0.25 }, baseline: { log_loss: 0.28 } });
    assert.equal(better.checks[0].outcome, 'passed');
  });

  it('are skipped without a baseline while value thresholds still apply', () => {
    const result = checks({ metric: 'auc', lower: 0.95, change: { absolute: 0, direction: 'higher' } }, { candidate: { auc: 0.9 } });
    assert.deepEqual(
      result.checks.map((c) => [c.kind, c.outcome, c.reason]),
      [
        ['value', 'failed', '0.9 < 0.95'],
        ['change', 'skipped', 'no baseline: change threshold skipped'],
      ],
    );
    assert.equal(result.blessed, false);
    assert.equal(result.baseline, undefined);
    assert.equal(checks({ metric: 'auc', change: { absolute: 0, direction: 'higher' } }, { candidate: { auc: 0.9 } }).blessed, true);
  });

  it('fail when the baseline value could not be computed', () => {
    const result = checks({ metric: 'auc', change: { absolute: 0, direction: 'higher' } }, { candidate: { auc: 0.9 }, baseline: { auc: null } });
    assert.equal(result.checks[0].outcome, 'failed');
    assert.match(result.checks[0].reason, /baseline auc could not be computed/);
  });
});

describe('threshold targets', () => {
  const targets = (slices: ThresholdSpec['slices']) => resolveThresholds([threshold({ metric: 'auc', lower: 0.5, slices })], context)[0].targets;

  it('Overall by default, every slice above the minimum size for all, named slices and specs', () => {
    assert.deepEqual(targets('overall'), ['Overall']);
    assert.deepEqual(targets('all'), ['Overall', 'hour:1', 'hour:2']);
    assert.deepEqual(targets(['hour']), ['hour:1', 'hour:2']);
    assert.deepEqual(targets(['hour:3', 'Overall']), ['hour:3', 'Overall']);
  });

  it('no thresholds: blessed', () => {
    assert.deepEqual(bless([], { slices: new Map(), fairness: new Map() }), { blessed: true, checks: [] });
  });

  it('report unknown metrics and slices at the threshold', () => {
    assertUserError(() => resolveThresholds([threshold({ metric: 'rmse', upper: 1 }, 44)], context), 44, "a binary model has no metric 'rmse'", 'auc, auc_pr');
    assertUserError(
      () => resolveThresholds([threshold({ metric: 'precision/Cash', lower: 0.5 }, 45)], { ...context, task: 'multiclass', classes: ['Card'] }),
      45,
      "no metric 'precision/Cash'",
      'precision/Card',
    );
    assertUserError(
      () => resolveThresholds([threshold({ metric: 'auc', lower: 0.5, slices: ['hour:4'] }, 46)], context),
      46,
      "no slice or slice spec named 'hour:4'",
      'hour:1',
    );
    assertUserError(() => resolveThresholds([threshold({ metric: 'demographic_parity_difference', upper: 0.1 }, 47)], context), 47, 'needs sensitive features');
    assertUserError(
      () => resolveThresholds([threshold({ metric: 'equal_opportunity_ratio', lower: 0.8 }, 48)], { ...context, task: 'regression', fairness: ['sex'] }),
      48,
      'binary classifiers',
    );
  });
});

describe('blessing an evaluation', () => {
  const labels = [1, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 1];
  const scores = [0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.4, 0.3, 0.3, 0.1, 0.95, 0.85];
  const hour = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2];
  const sex = ['F', 'M', 'F', 'M', 'F', 'M', 'F', 'M', 'F', 'M', 'F', 'M'];

  it('checks named slices, fails one below the minimum size, and compares fairness with the baseline', () => {
    const data = binaryData(
      labels,
      scores,
      { hour, sex },
      scores.map((s) => s / 2 + 0.25),
    );
    const report = evaluateModel(
      request(data, {
        slices: [located({ features: ['hour'] })],
        minSliceSize: 3,
        fairness: { sensitive: [located(['sex'])], thresholds: [], location: at(29) },
        thresholds: [
          threshold({ metric: 'auc', lower: 0.5, slices: ['hour'] }),
          threshold({ metric: 'auc', lower: 0.5, change: { absolute: 0, direction: 'higher' }, slices: ['hour:2'] }),
          threshold({ metric: 'demographic_parity_difference', upper: 0.5, change: { absolute: 0, direction: 'lower' } }),
        ],
      }),
    );
    assert.deepEqual(
      report.blessing.checks.map((c) => [c.metric, c.slice, c.kind, c.outcome]),
      [
        ['auc', 'hour:1', 'value', 'passed'],
        ['auc', 'hour:2', 'value', 'failed'],
        ['auc', 'hour:2', 'change', 'failed'],
        ['demographic_parity_difference', 'sex', 'value', 'passed'],
        ['demographic_parity_difference', 'sex', 'change', 'passed'],
      ],
    );
    assert.equal(report.blessing.checks[1].reason, 'the slice has 2 rows, below min_slice_size 3');
    assert.equal(report.blessing.checks[2].reason, 'the slice has 2 rows, below min_slice_size 3');
    assert.equal(report.blessing.blessed, false);
    assert.equal(report.blessing.baseline, 'taxi@1 (production)');
    const dp = report.blessing.checks[4];
    assert.equal(dp.value, report.fairness[0].demographicParity!.difference);
    assert.equal(typeof dp.baseline, 'number');
  });
});
