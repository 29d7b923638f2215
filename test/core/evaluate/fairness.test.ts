import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateModel } from '../../../src/core/evaluate';
import { disparity } from '../../../src/core/evaluate/disparity';
import { assertUserError, at, binaryData, close, located, request } from './fixtures';

// Fairlearn's worked example (REFERENCE.md): the predictions are given, so they are the scores.
const Y_TRUE = [0, 1, 1, 1, 1, 0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1];
const Y_PRED = [0, 0, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 0];
const GROUP = ['b', 'b', 'a', 'b', 'b', 'c', 'c', 'c', 'a', 'a', 'c', 'a', 'b', 'c', 'c', 'b', 'c', 'c'];

const fairnessOf = (features: Record<string, (string | null)[]>, sensitive: string[][], thresholds = [0.5], baseline?: number[]) =>
  evaluateModel(
    request(binaryData(Y_TRUE, Y_PRED, features, baseline), {
      fairness: { sensitive: sensitive.map((s, i) => located(s, 30 + i)), thresholds, location: at(29) },
    }),
  ).fairness;

describe('fairness', () => {
  it("reproduces Fairlearn's worked example", () => {
    const [report] = fairnessOf({ group: GROUP }, [['group']]);
    assert.equal(report.name, 'group');
    assert.equal(report.overall.count, 18);
    close(report.overall.rates!.tpr, 0.5);
    close(report.overall.rates!.fpr, 2 / 3);
    close(report.overall.rates!.selection_rate, 10 / 18);
    assert.deepEqual(
      report.groups.map((g) => [g.group, g.count]),
      [
        ['a', 4],
        ['b', 6],
        ['c', 8],
      ],
    );
    const [a, b, c] = report.groups.map((g) => g.rates!);
    close(a.tpr, 0.5);
    close(a.fpr, 1);
    close(a.selection_rate, 0.75);
    close(b.tpr, 0.6);
    close(b.fpr, 0);
    close(b.selection_rate, 0.5);
    close(c.tpr, 0.4);
    close(c.fpr, 2 / 3);
    close(c.selection_rate, 0.5);
    close(a.fnr, 0.5);
    close(b.tnr, 1);
    close(report.demographicParity!.difference, 0.25);
    close(report.demographicParity!.ratio, 2 / 3);
    close(report.equalizedOdds!.difference, 1);
    close(report.equalizedOdds!.ratio, 0);
    close(report.equalOpportunity!.difference, 0.2);
    close(report.equalOpportunity!.ratio, 2 / 3);
    // To overall (selection 10/18): the largest gap is group a's 0.75, the smallest ratio (10/18) / 0.75.
    close(report.disparities.selection_rate.differenceToOverall, 0.75 - 10 / 18);
    close(report.disparities.selection_rate.ratioToOverall, 10 / 18 / 0.75);
    // Model metrics per group too: group b's accuracy is 4 of 6.
    close(report.groups[1].metrics.accuracy, 4 / 6);
    assert.ok('auc' in report.disparities && 'log_loss' in report.disparities);
  });

  it('reports rates at every Fairness Indicators threshold', () => {
    const scores = Y_PRED.map((p, i) => (p ? 0.55 + i / 100 : 0.05 + i / 100));
    const [report] = evaluateModel(
      request(binaryData(Y_TRUE, scores, { group: GROUP }), {
        fairness: { sensitive: [located(['group'])], thresholds: [0.5, 0.99], location: at(1) },
      }),
    ).fairness;
    const [atHalf, atTop] = report.atThresholds!;
    assert.deepEqual(
      atHalf.groups.map(({ group, ...rates }) => [group, rates]),
      report.groups.map((g) => [g.group, g.rates]),
    );
    close(atHalf.demographicParityDifference, 0.25);
    close(atHalf.equalizedOddsDifference, 1);
    assert.equal(atTop.threshold, 0.99);
    assert.ok(atTop.groups.every((g) => g.selection_rate === 0));
    assert.equal(atTop.demographicParityDifference, 0);
  });

  it('groups an intersection as v1_X_v2 and leaves out rows missing a sensitive value', () => {
    const sex = GROUP.map((_, i) => (i === 0 ? null : i % 2 ? 'F' : 'M'));
    const [report] = fairnessOf({ group: GROUP, sex }, [['sex', 'group']]);
    assert.equal(report.name, 'sex_X_group');
    assert.equal(report.overall.count, 17);
    assert.deepEqual(
      report.groups.map((g) => g.group),
      ['F_X_a', 'F_X_b', 'F_X_c', 'M_X_a', 'M_X_b', 'M_X_c'],
    );
    assert.deepEqual(report.groups[0].values, { sex: 'F', group: 'a' });
  });

  it('needs at least two groups and an existing feature', () => {
    assertUserError(
      () => fairnessOf({ group: GROUP, country: GROUP.map(() => 'NL') }, [['group'], ['country']]),
      31,
      "sensitive feature 'country' has a single group 'NL'",
      'at least two',
    );
    assertUserError(() => fairnessOf({ group: GROUP }, [['race']]), 30, "sensitive feature 'race'", 'available features: group');
  });
});

describe('disparity', () => {
  it('is null with fewer than two valued groups; two zeros are equal, a zero maximum has no ratio', () => {
    assert.deepEqual(disparity([0.4, null], 0.4), { difference: null, ratio: null, differenceToOverall: null, ratioToOverall: null });
    assert.deepEqual(disparity([0, 0], 0), { difference: 0, ratio: null, differenceToOverall: 0, ratioToOverall: 1 });
    assert.deepEqual(disparity([0.5, 0.25], null), { difference: 0.25, ratio: 0.5, differenceToOverall: null, ratioToOverall: null });
  });
});
