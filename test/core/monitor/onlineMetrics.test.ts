import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { missingTest } from '../../../src/core/data/cells';
import { alertsOf, metricBounds, metricChecks, onlineMetrics, readLabelsFile } from '../../../src/core/monitor';
import type { LabelValue, ModelFacts, WindowReport } from '../../../src/core/monitor';
import type { Located, ThresholdSpec } from '../../../src/core/pipeline/config';
import type { ServedRecord } from '../../../src/core/serve/log';
import { isUserError } from '../../../src/core/util/problems';
import { tempDir } from '../../helpers/tmp';

const BINARY: ModelFacts = {
  task: 'binary',
  classes: ['false', 'true'],
  label: { task: 'binary', column: 'big_tipper', negative: 'false', positive: 'true', type: 'bool' },
  isMissing: missingTest([]),
  decisionThreshold: 0.5,
};

function records(scores: number[], labels?: string[]): ServedRecord[] {
  return scores.map((score, i) => ({
    id: `r${i}`,
    at: i,
    model: 'm',
    version: 1,
    inputs: {},
    score,
    label: labels?.[i] ?? (score >= 0.5 ? 'true' : 'false'),
    latencyMs: 1,
  }));
}

const lookup = (labels: Record<string, LabelValue>) => (id: string) => labels[id];

describe('online metrics from ground truth joined to served rows by id', () => {
  const served = records([0.9, 0.8, 0.3, 0.2, 0.6, 0.4]);
  const truth = lookup({ r0: true, r1: false, r2: 'false', r3: 'true', r5: 'maybe' });

  it('joins by id, parses raw labels as training did, and leaves out unlabelled rows and unknown values', () => {
    const online = onlineMetrics(served, truth, BINARY);
    assert.equal(online.labelled, 4);
    assert.equal(online.unusable, 1);
    // r0 and r2 right, r1 and r3 wrong; two of the four positive-negative pairs are ordered right.
    assert.equal(online.metrics.accuracy, 0.5);
    assert.equal(online.metrics.auc, 0.5);
    assert.equal(online.metrics.example_count, 4);
    assert.equal(online.metrics.mean_label, 0.5);
  });

  it("reads binary predictions at the offline evaluation's decision threshold", () => {
    assert.equal(onlineMetrics(served, truth, { ...BINARY, decisionThreshold: 0.25 }).metrics.accuracy, 0.25);
  });

  it('scores multiclass rows through their predicted class; log loss needs every probability, so it is left out', () => {
    const facts: ModelFacts = {
      task: 'multiclass',
      classes: ['a', 'b', 'c'],
      label: { task: 'multiclass', column: 'y', classes: ['a', 'b', 'c'], type: 'string' },
      isMissing: missingTest([]),
      decisionThreshold: 0.5,
    };
    const online = onlineMetrics(records([0.9, 0.5, 0.7, 0.6], ['a', 'b', 'c', 'zz']), lookup({ r0: 'a', r1: 'a', r2: 'c', r3: 'c' }), facts);
    assert.equal(online.labelled, 3);
    assert.equal(online.unusable, 1, 'a predicted class the model does not have');
    assert.equal(online.metrics.accuracy, 2 / 3);
    assert.equal(online.metrics['recall/a'], 0.5);
    assert.equal(online.metrics.log_loss, null);
  });

  it('computes regression errors on the served values', () => {
    const facts: ModelFacts = {
      task: 'regression',
      label: { task: 'regression', column: 'tips', type: 'float' },
      isMissing: missingTest(['NA']),
      decisionThreshold: 0.5,
    };
    const online = onlineMetrics(records([1, 2, 4]), lookup({ r0: 2, r1: '2', r2: 'NA' }), facts);
    assert.deepEqual([online.labelled, online.unusable, online.metrics.mae, online.metrics.rmse], [2, 1, 0.5, Math.sqrt(0.5)]);
  });

  it('checks the bounds against the online values and the offline evaluation, and alerts only on computed metrics', () => {
    const at = { file: 'p.pipeline.yaml', line: 3, column: 5 };
    const specs: Located<ThresholdSpec>[] = [
      { value: { metric: 'accuracy', slices: 'overall', lower: 0.8 }, location: at },
      { value: { metric: 'auc', slices: 'overall', change: { absolute: -0.05, direction: 'higher' } }, location: at },
      { value: { metric: 'precision', slices: 'overall', lower: 0.5 }, location: at },
    ];
    const bounds = metricBounds(specs, 'binary', ['false', 'true']);
    const checks = metricChecks(bounds, { accuracy: 0.5, auc: 0.7, precision: null }, { accuracy: 0.9, auc: 0.9 });
    assert.deepEqual(
      checks.map((c) => [c.metric, c.kind, c.outcome]),
      [
        ['accuracy', 'value', 'failed'],
        ['auc', 'change', 'failed'],
        ['precision', 'value', 'failed'],
      ],
    );
    const window = { key: 'v1/rows@r0', model: 'm', version: 1, start: 0, end: 5, rows: 6 };
    const report: WindowReport = {
      window,
      labelled: 4,
      latency: null,
      drift: [],
      predictionDrift: [],
      metrics: { task: 'binary', online: {}, checks },
      invalid: {},
      notes: [],
    };
    const alerts = alertsOf(report);
    assert.deepEqual(
      alerts.map((a) => [a.kind, a.subject, a.method, a.value, a.threshold, a.message]),
      [
        ['performance', 'accuracy', 'value', 0.5, 0.8, 'accuracy 0.5 < 0.8 online'],
        ['performance', 'auc', 'change', 0.7 - 0.9, -0.05, 'auc −0.2 < −0.05 against offline 0.9 (online 0.7)'],
      ],
    );
    assert.throws(
      () => metricBounds([{ value: { metric: 'rmse', slices: 'overall', upper: 2 }, location: at }], 'binary'),
      /p\.pipeline\.yaml:3:5: error: a binary model has no metric 'rmse'/,
    );
  });
});

describe('readLabelsFile', () => {
  it('maps id to label, a later row winning, and returns malformed rows by line', async () => {
    const file = path.join(tempDir(), 'labels.csv');
    await fs.writeFile(file, 'id,label,note\nr0,true,x\nr1,false,y\nr0,false,z\nr2,true\n');
    const { labels, malformed } = await readLabelsFile(file);
    assert.deepEqual(
      [...labels],
      [
        ['r0', 'false'],
        ['r1', 'false'],
      ],
    );
    assert.deepEqual(
      malformed.map((m) => [m.line, m.reason]),
      [[5, 'expected 3 fields, found 2']],
    );
  });

  it('refuses a file without id and label columns, naming the file and the columns it has', async () => {
    const file = path.join(tempDir(), 'labels.csv');
    await fs.writeFile(file, 'request,truth\nr0,true\n');
    await assert.rejects(readLabelsFile(file), (e: unknown) => {
      assert.ok(isUserError(e));
      assert.match(e.message, /labels\.csv:1: error: the labels file has no 'id' or 'label' column \(its columns: request, truth\)/);
      return true;
    });
  });
});
