import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { openRaw } from '../helpers/rawSqlite';
import { mlops, mlopsAsync, mlopsJson } from '../helpers/cli';
import { syntheticCsv } from '../helpers/synthetic';
import { tempDir } from '../helpers/tmp';

async function workspace(pipeline: string, csv = syntheticCsv(3000)): Promise<string> {
  const dir = tempDir();
  await fs.writeFile(path.join(dir, 'p.pipeline.yaml'), pipeline);
  await fs.mkdir(path.join(dir, 'data'));
  await fs.writeFile(path.join(dir, 'data', 'train.csv'), csv);
  return dir;
}

const PIPELINE = 'pipeline: p\nseed: 3\ndata:\n  train: data/train.csv\n  split: { eval: 0.25 }\nlabel: y\n';
const TRAIN = 'train:\n  model: { type: dnn, hidden: [16, 8] }\n  batch_size: 32\n  backend: cpu\n';

interface RunJson {
  runId: number;
  exitCode: number;
  components: { name: string; status: string; outputs: { name: string; type: string; uri: string; contentHash: string }[] }[];
}

function modelOf(run: RunJson) {
  return run.components.find((c) => c.name === 'train')!.outputs.find((o) => o.type === 'Model')!;
}

function storeMetric(dir: string, runId: number, key: string): number {
  const db = openRaw(path.join(dir, '.mlops', 'store.sqlite'), { readonly: true });
  try {
    const row = db.prepare('SELECT max(step) AS step FROM metrics WHERE run_id = ? AND key = ?').get(runId, key) as { step: number | null };
    return row.step ?? 0;
  } finally {
    db.close();
  }
}

describe('mlops run: training', { concurrency: false }, () => {
  it('trains reproducibly: two runs in two workspaces give the same model bytes', async () => {
    const pipeline = PIPELINE + TRAIN + '  epochs: 3\n';
    const a = mlopsJson<RunJson>(['run', 'p.pipeline.yaml'], await workspace(pipeline));
    const b = mlopsJson<RunJson>(['run', 'p.pipeline.yaml'], await workspace(pipeline));
    assert.equal(modelOf(a).contentHash, modelOf(b).contentHash);
  });

  it('resumes a killed training from its last checkpoint and ends with the same model as an uninterrupted run', async () => {
    const pipeline = PIPELINE + TRAIN + '  epochs: 8\n';
    const reference = mlopsJson<RunJson>(['run', 'p.pipeline.yaml'], await workspace(pipeline));
    const dir = await workspace(pipeline);
    const child = mlopsAsync(['run', 'p.pipeline.yaml'], dir);
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((r) => child.on('exit', r));
    for (;;) {
      await new Promise((r) => setTimeout(r, 100));
      if (
        /train started/.test(output) &&
        (await fs.stat(path.join(dir, '.mlops', 'store.sqlite')).catch(() => undefined)) &&
        storeMetric(dir, 1, 'val_loss') >= 3
      )
        break;
      assert.equal(child.exitCode, null, `the run ended before it could be killed:\n${output}`);
    }
    child.kill('SIGKILL');
    await exited;
    const resumed = mlops(['run', '--resume', '1', '--json'], dir);
    assert.equal(resumed.status, 0, resumed.stderr);
    const run = JSON.parse(resumed.stdout) as RunJson;
    assert.equal(run.runId, 1, 'the same run continues');
    assert.match(resumed.stderr, /resum/i);
    assert.equal(modelOf(run).contentHash, modelOf(reference).contentHash, 'bit-identical to the uninterrupted run');
  });

  it('refuses to resume a finished run or one whose pipeline file changed', async () => {
    const dir = await workspace(PIPELINE + TRAIN + '  epochs: 1\n');
    assert.equal(mlops(['run', 'p.pipeline.yaml'], dir).status, 0);
    const finished = mlops(['run', '--resume', '1'], dir);
    assert.equal(finished.status, 2);
    assert.match(finished.stderr, /run 1 finished successfully: there is nothing to resume/);
    const missing = mlops(['run', '--resume', '9'], dir);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no run 9/);
  });
});

describe('mlops run: a label derived from an excluded column', () => {
  it('evaluates with the label the examples carry (the usual way to keep the source out of the inputs)', async () => {
    const pipeline =
      'pipeline: p\nseed: 3\ndata:\n  train: data/train.csv\n  split: { eval: 0.25 }\n' +
      "features:\n  derive:\n    positive: 'y == true'\n  exclude: [y]\nlabel: positive\n" +
      TRAIN +
      '  epochs: 2\nevaluate:\n  slices: [color]\n';
    const dir = await workspace(pipeline);
    const r = mlops(['run', 'p.pipeline.yaml'], dir);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /evaluate complete/);
    assert.doesNotMatch(r.stdout, /left out/, 'every eval row has the label ingest computed');
  });
});

describe('mlops run: training bad input', { concurrency: false }, () => {
  const cases: { name: string; pipeline: string; csv?: string; expect: RegExp[] }[] = [
    { name: 'a label column the data lacks', pipeline: PIPELINE.replace('label: y', 'label: z') + TRAIN, expect: [/p\.pipeline\.yaml:6:\d+/, /label 'z'|'z'/] },
    {
      name: 'a transform on a column that does not exist',
      pipeline: PIPELINE + 'transform:\n  colour: vocabulary\n' + TRAIN,
      expect: [/p\.pipeline\.yaml:8:\d+/, /colour/, /did you mean 'color'/],
    },
    { name: 'a vocabulary on a numeric column', pipeline: PIPELINE + 'transform:\n  x1: vocabulary\n' + TRAIN, expect: [/p\.pipeline\.yaml:8:\d+/, /x1/] },
    { name: 'an empty training split', pipeline: PIPELINE + TRAIN, csv: 'x1,x2,color,y\n', expect: [/train\.csv/, /no data rows/] },
    {
      name: 'a binary task whose label has three values',
      pipeline: PIPELINE.replace('label: y', 'label: color') + TRAIN + '  task: binary\n',
      expect: [/color/, /three|3|two/],
    },
    {
      name: 'a diverging training (NaN loss)',
      pipeline: PIPELINE.replace('label: y', 'label: x2') + TRAIN + '  task: regression\n  optimizer: sgd\n  learning_rate: 1000000000\n',
      expect: [/NaN|not a number|diverg/i, /learning.rate/i],
    },
    {
      name: 'a search space that does not parse',
      pipeline: PIPELINE + TRAIN + '  tune:\n    space:\n      learning_rate: { log: [0, 0.1] }\n',
      expect: [/p\.pipeline\.yaml:13:7/, /learning_rate/, /above 0/],
    },
    {
      name: 'a search space over an unknown setting',
      pipeline: PIPELINE + TRAIN + '  tune:\n    space:\n      model.depth: { int: [1, 3] }\n',
      expect: [/p\.pipeline\.yaml:13:7/, /model\.depth/, /can be tuned/],
    },
  ];
  for (const c of cases) {
    it(`says what is wrong with ${c.name}, exit 2, no stack trace`, async () => {
      const dir = await workspace(c.pipeline, c.csv);
      const r = mlops(['run', 'p.pipeline.yaml'], dir);
      assert.equal(r.status, 2, r.stdout + r.stderr);
      for (const e of c.expect) assert.match(r.stdout + r.stderr, e);
      assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at .+:\d+:\d+\)?\n/, 'no stack trace');
    });
  }
});
