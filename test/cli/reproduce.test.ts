import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { Difference } from '../../src/core/reproduce/differences';
import type { ModelComparison } from '../../src/core/reproduce/verify';
import { mlops, mlopsJson } from '../helpers/cli';
import { taxiPipeline } from '../helpers/taxiPipeline';
import { SHARED_DATASETS, tempDir } from '../helpers/tmp';

interface ReproduceJson {
  run: number;
  differences: Difference[];
  verifiable: boolean;
  reproduced: boolean;
  outcome: { runId: number; status: string; components: { name: string; status: string }[] } | null;
  verify: ModelComparison[] | null;
}

/** The first lines of a shared taxi file: enough rows to train on in a moment. */
function taxiRows(file: string, rows: number): string {
  return (
    readFileSync(path.join(SHARED_DATASETS, 'taxi', file), 'utf8')
      .split('\n')
      .slice(0, rows + 1)
      .join('\n') + '\n'
  );
}

function pipeline(epochs: number): string {
  // Relative data paths: the stored file must resolve them from where the pipeline file is.
  return (
    taxiPipeline('data', { hidden: [8], epochs }) +
    `evaluate: {}
push: { model: taxi }
steps:
  - name: report
    run: '"$MLOPS_NODE" report.js'
    after: ingest
    outputs: { report: out/report.txt }
`
  );
}

const script = (version: number) =>
  `require('fs').mkdirSync('out', { recursive: true }); require('fs').writeFileSync('out/report.txt', 'report version ${version}\\n');\n`;

describe('mlops reproduce', () => {
  it('re-runs a run from its stored files, lists what changed since, refuses until forced, and --verify compares the models', () => {
    const dir = tempDir('mlops-reproduce-');
    mkdirSync(path.join(dir, 'data'));
    const train = taxiRows('train.csv', 3000);
    writeFileSync(path.join(dir, 'data', 'train.csv'), train);
    writeFileSync(path.join(dir, 'data', 'eval.csv'), taxiRows('eval.csv', 1000));
    writeFileSync(path.join(dir, 'taxi.pipeline.yaml'), pipeline(2));
    writeFileSync(path.join(dir, 'report.js'), script(1));
    const first = mlops(['run', 'taxi.pipeline.yaml'], dir);
    assert.equal(first.status, 0, first.stderr + first.stdout);

    // Nothing changed: every component runs again (none from the cache), push is left out, the model is the same.
    const same = mlopsJson<ReproduceJson>(['reproduce', '1', '--verify'], dir);
    assert.deepEqual(same.differences, []);
    assert.deepEqual(
      same.outcome!.components.map((c) => [c.name, c.status]),
      [
        ['ingest', 'complete'],
        ['transform', 'complete'],
        ['report', 'complete'],
        ['train', 'complete'],
        ['evaluate', 'complete'],
      ],
    );
    assert.equal(same.verify!.length, 1);
    assert.equal(same.verify![0].equal, true, JSON.stringify(same.verify));
    assert.match(same.verify![0].original!, /^sha256:[0-9a-f]{64}$/);
    const shown = mlops(['runs', 'show', String(same.outcome!.runId)], dir);
    assert.match(shown.stdout, /reproduces run #1/);
    const resumed = mlops(['run', '--resume', String(same.outcome!.runId)], dir);
    assert.equal(resumed.status, 2);
    assert.match(resumed.stderr, /is a reproduction of run 1: it cannot be resumed/);
    assert.equal(mlopsJson<{ versions: unknown[] }>(['models', 'show', 'taxi'], dir).versions.length, 1, 'a reproduction pushes nothing');

    // Edited pipeline file and script, one changed data file: refused with the list.
    writeFileSync(path.join(dir, 'taxi.pipeline.yaml'), pipeline(5));
    writeFileSync(path.join(dir, 'report.js'), script(2));
    writeFileSync(path.join(dir, 'data', 'train.csv'), train.split('\n').slice(0, -2).join('\n') + '\n');
    const refused = mlops(['reproduce', '1', '--verify'], dir);
    assert.equal(refused.status, 2, refused.stderr + refused.stdout);
    assert.match(refused.stderr, /run #1 cannot be reproduced as it ran: 1 difference/);
    assert.match(refused.stderr, /✗ data file data\/train\.csv changed \(recorded sha256:[0-9a-f]{12}, now sha256:[0-9a-f]{12}\)/);
    assert.match(refused.stderr, /· pipeline file taxi\.pipeline\.yaml was edited since run #1 .*: the stored copy runs/);
    assert.match(refused.stderr, /· script report\.js was edited since run #1 .*: the stored copy runs/);
    assert.match(refused.stderr, /mlops reproduce 1 --force/);
    const dryHuman = mlops(['reproduce', '1', '--dry-run'], dir);
    assert.equal(dryHuman.status, 2);
    assert.match(dryHuman.stdout, /^Run #1 of taxi · taxi\.pipeline\.yaml as it ran · seed 7 · tfjs wasm\n/);
    assert.match(dryHuman.stdout, /mlops reproduce 1 would refuse; --force runs it anyway/);
    const dry = mlops(['reproduce', '1', '--dry-run', '--json'], dir);
    assert.equal(dry.status, 2);
    const listed = (JSON.parse(dry.stdout) as ReproduceJson).differences;
    assert.deepEqual(
      listed.map((d) => [d.kind, d.blocking, path.relative(dir, d.subject)]),
      [
        ['data', true, path.join('data', 'train.csv')],
        ['pipeline-file', false, 'taxi.pipeline.yaml'],
        ['script', false, 'report.js'],
      ],
    );

    // Forced on the changed data: it runs, and --verify finds another model (exit 1).
    const forced = mlops(['reproduce', '1', '--force', '--verify'], dir);
    assert.equal(forced.status, 1, forced.stderr + forced.stdout);
    assert.match(forced.stdout, /✗ model train\.model: different: original sha256:[0-9a-f]{12}, reproduction sha256:[0-9a-f]{12}; the weights differ/);

    // The data restored: the stored pipeline file (2 epochs) and script run, not the edited ones, and the model is the original's.
    writeFileSync(path.join(dir, 'data', 'train.csv'), train);
    const restored = mlops(['reproduce', '1', '--verify'], dir);
    assert.equal(restored.status, 0, restored.stderr + restored.stdout);
    assert.match(restored.stdout, /✓ model train\.model: equal to the original's \(sha256:[0-9a-f]{12}\)/);
    assert.equal(readFileSync(path.join(dir, 'out', 'report.txt'), 'utf8'), 'report version 1\n');
    assert.equal(readFileSync(path.join(dir, 'report.js'), 'utf8'), script(2), 'the edited script is left as it is');
  });

  it('says what is wrong with a run it cannot reproduce', () => {
    const dir = tempDir('mlops-reproduce-');
    const missing = mlops(['reproduce', '7'], dir);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no run #7 in this store/);
    assert.equal(mlops(['reproduce', 'x'], dir).status, 2);
  });
});
