import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { mlops, mlopsJson } from '../helpers/cli';
import { syntheticCsv } from '../helpers/synthetic';
import { tempDir } from '../helpers/tmp';

const BASE = `pipeline: p
seed: 3
data:
  train: data/train.csv
  split: { eval: 0.3 }
label: y
train:
  model: { type: dnn, hidden: [16, 8] }
  batch_size: 64
  epochs: 4
  backend: cpu
`;

const EVALUATE = `evaluate:
  slices:
    - color
    - { features: x2, buckets: 3 }
    - [color, x1_sign]
  fairness:
    sensitive: [color]
  thresholds:
    auc: { lower: 0.7 }
    accuracy: { lower: 0.5, slices: all, change: { absolute: -0.05 } }
push:
  model: synth
`;

async function workspace(pipeline: string): Promise<string> {
  const dir = tempDir();
  await fs.writeFile(path.join(dir, 'p.pipeline.yaml'), pipeline);
  await fs.mkdir(path.join(dir, 'data'));
  await fs.writeFile(path.join(dir, 'data', 'train.csv'), syntheticCsv(3000, 777));
  return dir;
}

const WITH_SIGN = BASE.replace('label: y\n', "features:\n  derive:\n    x1_sign: \"if(x1 >= 0, 'pos', 'neg')\"\nlabel: y\n");

interface RunJson {
  runId: number;
  exitCode: number;
  components: { name: string; status: string; outputs: { name: string; type: string; uri: string }[] }[];
}

interface ModelShow {
  model: { aliases: Record<string, number> };
  versions: { version: number; blessed: boolean | null; forced: boolean; runId: number }[];
  history: { alias: string; fromVersion: number | null; toVersion: number | null; reason: string; forced: boolean }[];
}

const outputOf = (run: RunJson, component: string, name: string) => run.components.find((c) => c.name === component)!.outputs.find((o) => o.name === name)!;

describe('evaluate, push, rollback and predict from the CLI', { concurrency: false }, () => {
  it('a blessed model is evaluated per slice and for fairness, registered, copied to serving and made production', async () => {
    const dir = await workspace(WITH_SIGN + EVALUATE);
    const run = mlopsJson<RunJson>(['run', 'p.pipeline.yaml'], dir);
    assert.equal(run.exitCode, 0);
    const report = JSON.parse(await fs.readFile(path.join(outputOf(run, 'evaluate', 'evaluation').uri, 'evaluation.json'), 'utf8'));
    assert.equal(report.task, 'binary');
    assert.deepEqual(
      report.slices.filter((s: { spec: string }) => s.spec === 'color').map((s: { name: string }) => s.name),
      ['color:blue', 'color:green', 'color:red'],
    );
    assert.ok(report.slices.some((s: { name: string }) => s.name === 'color_X_x1_sign:red_X_pos'));
    assert.equal(report.slices.filter((s: { spec: string }) => s.spec === 'x2').length, 3);
    assert.equal(report.fairness[0].name, 'color');
    assert.equal(report.blessing.blessed, true);
    const predictions = (await fs.readFile(path.join(outputOf(run, 'evaluate', 'predictions').uri, 'predictions.csv'), 'utf8')).trimEnd().split('\n');
    assert.equal(predictions[0], 'row_id,label,prediction,score,color,x2,x1_sign');
    assert.equal(predictions.length - 1, report.data.rows);

    const shown = mlopsJson<ModelShow>(['models', 'show', 'synth'], dir);
    assert.deepEqual(shown.model.aliases, { production: 1 });
    assert.equal(shown.versions[0].blessed, true);
    const serving = path.join(dir, '.mlops', 'serving', 'synth');
    assert.deepEqual(JSON.parse(await fs.readFile(path.join(serving, 'aliases.json'), 'utf8')), { production: 1 });
    assert.ok((await fs.readdir(path.join(serving, '1'))).includes('mlops-model.json'));
  });

  it('an unblessed model fails the run (exit 1) without touching production; push refuses it unless forced; rollback goes back', async () => {
    const dir = await workspace(WITH_SIGN + EVALUATE);
    assert.equal(mlopsJson<RunJson>(['run', 'p.pipeline.yaml'], dir).exitCode, 0);
    await fs.writeFile(
      path.join(dir, 'p.pipeline.yaml'),
      WITH_SIGN.replace('epochs: 4', 'epochs: 2') + EVALUATE.replace('auc: { lower: 0.7 }', 'auc: { lower: 0.999 }'),
    );
    const failed = mlops(['run', 'p.pipeline.yaml', '--json'], dir);
    assert.equal(failed.status, 1, failed.stderr);
    const second = JSON.parse(failed.stdout) as RunJson;
    assert.equal(second.components.find((c) => c.name === 'push')?.status, 'skipped');
    const blessing = JSON.parse(await fs.readFile(path.join(outputOf(second, 'evaluate', 'blessing').uri, 'blessing.json'), 'utf8'));
    assert.equal(blessing.blessed, false);
    assert.ok(blessing.checks.some((c: { metric: string; outcome: string }) => c.metric === 'auc' && c.outcome === 'failed'));
    // The production model is the baseline: evaluated on the same rows, change thresholds applied.
    assert.equal(blessing.baseline, 'synth@1 (production)');
    assert.ok(
      blessing.checks.some(
        (c: { kind: string; outcome: string; baseline?: number }) => c.kind === 'change' && c.outcome !== 'skipped' && typeof c.baseline === 'number',
      ),
    );
    const evaluation = JSON.parse(await fs.readFile(path.join(outputOf(second, 'evaluate', 'evaluation').uri, 'evaluation.json'), 'utf8'));
    assert.equal(typeof evaluation.overall.baseline.auc, 'number');
    assert.deepEqual(mlopsJson<ModelShow>(['models', 'show', 'synth'], dir).model.aliases, { production: 1 });

    const refused = mlops(['push', String(second.runId)], dir);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /not blessed/);
    assert.match(refused.stderr, /--force/);
    assert.equal(mlops(['push', String(second.runId), '--force'], dir).status, 0);
    let shown = mlopsJson<ModelShow>(['models', 'show', 'synth'], dir);
    assert.deepEqual(shown.model.aliases, { production: 2 });
    assert.equal(shown.history[0].forced, true);

    assert.equal(mlops(['rollback', 'synth'], dir).status, 0);
    shown = mlopsJson<ModelShow>(['models', 'show', 'synth'], dir);
    assert.deepEqual(shown.model.aliases, { production: 1 });
    assert.deepEqual(
      shown.history.map((h) => [h.fromVersion, h.toVersion]),
      [
        [2, 1],
        [1, 2],
        [null, 1],
      ],
    );
    assert.deepEqual(JSON.parse(await fs.readFile(path.join(dir, '.mlops', 'serving', 'synth', 'aliases.json'), 'utf8')), { production: 1 });
  });

  it('mlops evaluate --json reports overall, slices, fairness and validation; predict scores every row and names the bad ones', async () => {
    const dir = await workspace(WITH_SIGN + EVALUATE);
    assert.equal(mlopsJson<RunJson>(['run', 'p.pipeline.yaml'], dir).exitCode, 0);
    const evaluated = mlopsJson<{
      overall: { count: number; metrics: Record<string, number> };
      slices: { slice: string; count: number }[];
      fairness: { name: string; demographicParity: { difference: number } }[];
      validation: { blessed: boolean; failures: unknown[] };
    }>(['evaluate', '--model', 'synth@1', '--data', 'data/train.csv'], dir);
    assert.equal(evaluated.overall.count, 3000);
    assert.ok(evaluated.overall.metrics.auc > 0.7);
    assert.equal(
      evaluated.slices.filter((s) => s.slice.startsWith('color:')).reduce((n, s) => n + s.count, 0),
      3000,
    );
    assert.equal(evaluated.fairness[0].name, 'color');
    assert.equal(typeof evaluated.fairness[0].demographicParity.difference, 'number');
    assert.equal(evaluated.validation.blessed, true);

    const csv = (await fs.readFile(path.join(dir, 'data', 'train.csv'), 'utf8')).split('\n');
    csv[5] = 'abc,1.0,red,true';
    await fs.writeFile(path.join(dir, 'rows.csv'), csv.join('\n'));
    const predicted = mlops(['predict', '--model', 'synth', 'rows.csv', '--out', 'out.csv'], dir);
    assert.equal(predicted.status, 2);
    assert.match(predicted.stderr, /1 rows could not be scored/);
    const out = (await fs.readFile(path.join(dir, 'out.csv'), 'utf8')).trimEnd().split('\n');
    assert.equal(out[0], 'row,prediction,score,error');
    assert.equal(out.length - 1, 3000);
    assert.equal(out[5], `5,,,"'x1' is a float column; ""abc"" is not a number"`);
    assert.match(out[4], /^4,(true|false),0\.\d+,$/);
  });

  it('mistakes are reported where they are made, and production stays where it was', async () => {
    const dir = await workspace(WITH_SIGN + EVALUATE);
    assert.equal(mlopsJson<RunJson>(['run', 'p.pipeline.yaml'], dir).exitCode, 0);
    const rerun = async (evaluate: string) => {
      await fs.writeFile(path.join(dir, 'p.pipeline.yaml'), WITH_SIGN + evaluate);
      return mlops(['run', 'p.pipeline.yaml'], dir);
    };
    let r = await rerun('evaluate:\n  thresholds:\n    rmse: { upper: 1 }\n');
    assert.equal(r.status, 2);
    assert.match(r.stdout, /p\.pipeline\.yaml:17:5: error: a binary model has no metric 'rmse'/);
    r = await rerun('evaluate:\n  slices: [colour]\n');
    assert.equal(r.status, 2);
    assert.match(r.stdout, /p\.pipeline\.yaml:\d+:\d+: error: .*'colour'/);
    r = await rerun('evaluate:\n  fairness:\n    sensitive: [x1_sign]\n  slices: [{ features: x1_sign, values: [pos] }]\n');
    assert.equal(r.status, 0, r.stderr);
    await fs.writeFile(path.join(dir, 'one.csv'), 'x1,x2,color,y\n0.5,1,red,true\n0.7,2,red,false\n');
    r = mlops(['evaluate', '--model', 'synth', '--data', 'one.csv', '--config', 'single.pipeline.yaml'], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /single\.pipeline\.yaml: error: pipeline file not found/);
    await fs.writeFile(path.join(dir, 'single.pipeline.yaml'), WITH_SIGN + 'evaluate:\n  fairness:\n    sensitive: [color]\n');
    r = mlops(['evaluate', '--model', 'synth', '--data', 'one.csv', '--config', 'single.pipeline.yaml'], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /single\.pipeline\.yaml:\d+:\d+.*'color' has a single group/);

    await fs.writeFile(path.join(dir, 'narrow.csv'), 'x1,color,y\n0.5,red,true\n');
    r = mlops(['evaluate', '--model', 'synth', '--data', 'narrow.csv'], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /narrow\.csv.*reads column 'x2', which the data does not have/);

    const before = mlopsJson<ModelShow>(['models', 'show', 'synth'], dir).model.aliases;
    await fs.writeFile(path.join(dir, 'blocker'), 'a file where a folder should be');
    r = mlops(['push', '1', '--alias', 'staging', '--destination', 'blocker/serving'], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /blocker/);
    assert.deepEqual(mlopsJson<ModelShow>(['models', 'show', 'synth'], dir).model.aliases, before);
    r = mlops(['rollback', 'synth'], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no earlier version/);
  });
});
