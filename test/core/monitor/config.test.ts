import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePipeline } from '../../../src/core/pipeline/load';
import { formatProblem } from '../../../src/core/util/problems';

const FILE = '/work/p/taxi.pipeline.yaml';
const BASE = `pipeline: taxi
data: { train: data.csv }
label: big_tipper
train: { model: linear }
push: { model: taxi }
`;

const errors = (monitor: string) =>
  parsePipeline(BASE + monitor, FILE)
    .problems.filter((p) => p.severity === 'error')
    .map(formatProblem);

describe('the monitor section', () => {
  it('reads windows, thresholds, metric bounds and actions, and is no component of the run', () => {
    const parsed = parsePipeline(
      BASE +
        `monitor:
  window: { every: 1h, min_rows: 200 }
  drift: { fare: { psi: 0.2 } }
  prediction_drift: { wasserstein: 0.15 }
  metrics:
    accuracy: { lower: 0.8, change: { absolute: -0.05 } }
  actions: [notify, retrain, rollback]
`,
      FILE,
    );
    assert.deepEqual(parsed.problems, []);
    const m = parsed.config!.monitor!;
    assert.deepEqual(m.window, { ms: 3_600_000, text: '1h' });
    assert.equal(m.minRows, 200);
    assert.deepEqual(m.drift, { fare: { psi: 0.2 } });
    assert.deepEqual(m.predictionDrift, { wasserstein: 0.15 });
    assert.deepEqual(
      m.metrics.map((t) => [t.value.metric, t.value.lower, t.value.change, t.location.line]),
      [['accuracy', 0.8, { absolute: -0.05, relative: undefined, direction: 'higher' }, 11]],
    );
    assert.deepEqual(m.actions, ['notify', 'retrain', 'rollback']);
    assert.ok(!parsed.components.some((c) => c.name === 'monitor'));
  });

  it('defaults to windows of 1000 rows, automatic thresholds and notify', () => {
    const m = parsePipeline(BASE + 'monitor: {}\n', FILE).config!.monitor!;
    assert.deepEqual([m.window, m.minRows, m.predictionDrift, m.actions], [{ rows: 1000 }, 100, { auto: true }, ['notify']]);
    assert.equal(parsePipeline(BASE + 'monitor: { window: { every: 50 } }\n', FILE).config!.monitor!.minRows, 50);
  });

  it('reports mistakes where they are written', () => {
    assert.deepEqual(errors('monitor:\n  window: { every: 2 weeks }\n'), [
      `${FILE}:7:20: error: monitor.window.every: '2 weeks' is neither a number of rows nor a duration\n  hint: a number of served rows (1000), or a duration: 30s, 15m, 1h, 1d`,
    ]);
    assert.match(
      errors('monitor:\n  window: { every: 100, min_rows: 500 }\n')[0],
      /:7:35: error: monitor\.window\.min_rows 500 is above the 100 rows of a window/,
    );
    assert.match(errors('monitor:\n  metrics:\n    acuracy: { lower: 0.8 }\n')[0], /:8:5: error: no metric named 'acuracy'/);
    assert.match(
      errors('monitor:\n  metrics:\n    demographic_parity_difference: { upper: 0.1 }\n')[0],
      /:8:5: error: 'demographic_parity_difference' compares sensitive groups.*not monitored online/,
    );
    assert.match(errors('monitor:\n  actions: [notify, page]\n')[0], /:7:21: error: monitor\.actions\.1: string "page" is not allowed/);
    assert.match(errors('monitor:\n  drift: { fare: { psi: -1 } }\n')[0], /monitor\.drift\.fare\.psi/);
    assert.match(errors('monitor:\n  windows: 5\n')[0], /unknown key 'windows' in monitor.*did you mean 'window'/s);
  });
});
