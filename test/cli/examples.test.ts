import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { CLI, mlopsJson } from '../helpers/cli';
import { REPO_ROOT, SHARED_DATASETS, tempDir } from '../helpers/tmp';

/**
 * The shipped example pipelines on the real datasets, held to the quality scikit-learn reaches on
 * the same splits. The examples read `examples/data/`, which here links to the shared datasets.
 */
function exampleWorkspace(): string {
  const dir = tempDir('mlops-examples-');
  cpSync(path.join(REPO_ROOT, 'examples'), dir, { recursive: true });
  symlinkSync(SHARED_DATASETS, path.join(dir, 'data'));
  return dir;
}

interface RunJson {
  runId: number;
  exitCode: number;
  components: { name: string; status: string }[];
}
interface RunShowJson {
  run: { tfjsBackend: string | null };
  artifacts: { type: string; role: string; properties: { metrics?: Record<string, number> } }[];
}

function runExample(file: string): { run: RunJson; metrics: Map<string, number>; backend: string | null } {
  const dir = exampleWorkspace();
  const r = spawnSync(process.execPath, [CLI, 'run', file, '--json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 900_000 });
  assert.equal(r.status, 0, r.stderr);
  const run = JSON.parse(r.stdout) as RunJson;
  const shown = mlopsJson<RunShowJson>(['runs', 'show', String(run.runId)], dir);
  // The model's own metrics: those of the weights it kept (early stopping restores the best epoch).
  const model = shown.artifacts.find((a) => a.type === 'Model' && a.role === 'output');
  assert.ok(model?.properties.metrics, 'the run has a model with its metrics');
  return { run, metrics: new Map(Object.entries(model.properties.metrics)), backend: shown.run.tfjsBackend };
}

describe('example pipelines on the real datasets', { concurrency: false }, () => {
  it('taxi: big_tipper from the trip, tips never an input: eval AUC ≥ 0.95', () => {
    const { run, metrics, backend } = runExample('taxi/taxi.pipeline.yaml');
    assert.deepEqual(
      run.components.map((c) => c.status),
      run.components.map(() => 'complete'),
    );
    assert.ok(backend, 'the run records the tfjs backend');
    assert.ok(metrics.get('val_auc')! >= 0.95, `val_auc ${metrics.get('val_auc')}`);
  });

  // On this split scikit-learn reaches 0.902 (logistic regression), 0.908 (MLPClassifier 64-32) and
  // 0.923 (HistGradientBoosting); this DNN reaches 0.923 with the capital gain/loss buckets.
  it('adult: income > 50K on a seeded 80/20 split: eval AUC ≥ 0.91', () => {
    const { metrics } = runExample('adult/adult.pipeline.yaml');
    assert.ok(metrics.get('val_auc')! >= 0.91, `val_auc ${metrics.get('val_auc')}`);
  });

  it('penguins: three species, tuned by random search: eval accuracy ≥ 0.97', () => {
    const { metrics } = runExample('penguins/penguins.pipeline.yaml');
    assert.ok(metrics.get('val_accuracy')! >= 0.97, `val_accuracy ${metrics.get('val_accuracy')}`);
  });
});
