import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadPipeline } from '../../../src/core/pipeline/load';
import { planReproduction } from '../../../src/core/reproduce/plan';
import { executorFor } from '../../../src/core/runner/executors';
import { runPipeline } from '../../../src/core/runner/runner';
import { RunStore } from '../../../src/core/store';
import { openRaw } from '../../helpers/rawSqlite';
import { tempDir } from '../../helpers/tmp';

const PIPELINE = `pipeline: small
seed: 3
data: { train: data/*.csv, split: { eval: 0.25 } }
steps:
  - name: count
    run: node count.js
    after: ingest
`;
const NOW = { toolVersion: 'test', nodeVersion: process.versions.node };

/** A workspace with two data spans and a step script, and a store with one complete run of it. */
async function workspace(options: { git?: boolean } = {}) {
  const dir = tempDir('mlops-plan-');
  mkdirSync(path.join(dir, 'data'));
  writeFileSync(path.join(dir, 'data', 'a.csv'), 'x,y\n1,2\n3,4\n5,6\n7,8\n');
  writeFileSync(path.join(dir, 'data', 'b.csv'), 'x,y\n9,10\n11,12\n');
  writeFileSync(path.join(dir, 'count.js'), 'console.log("counted")\n');
  writeFileSync(path.join(dir, 'small.pipeline.yaml'), PIPELINE);
  if (options.git) {
    writeFileSync(path.join(dir, '.gitignore'), '.mlops/\n');
    git(dir, 'init', '-q');
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'first');
  }
  const store = RunStore.open(path.join(dir, '.mlops', 'store.sqlite'));
  const outcome = await runPipeline({
    config: await loadPipeline(path.join(dir, 'small.pipeline.yaml')),
    store,
    artifactsRoot: path.join(dir, '.mlops', 'artifacts'),
    signal: new AbortController().signal,
    reporter: { event: () => undefined, log: () => undefined },
    toolVersion: 'test',
    executorFor,
  });
  assert.equal(outcome.status, 'complete', outcome.error);
  return { dir, store, runId: outcome.runId };
}

function git(dir: string, ...args: string[]) {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir });
}

const described = (plan: Awaited<ReturnType<typeof planReproduction>>) => plan.differences.map((d) => [d.kind, d.blocking, d.message]);

describe('planReproduction', () => {
  it("rebuilds the run's pipeline from the stored file, and lists data files changed or added since", async () => {
    const { dir, store, runId } = await workspace();
    const plan = await planReproduction(store, runId, NOW);
    assert.deepEqual(plan.differences, []);
    assert.deepEqual(
      plan.files.map((f) => [path.relative(dir, f.path), f.role]),
      [
        ['small.pipeline.yaml', 'pipeline'],
        ['count.js', 'script'],
      ],
    );
    assert.equal(plan.config.data.train.value, path.join(dir, 'data', '*.csv'), 'relative paths resolve from where the file was');

    writeFileSync(path.join(dir, 'small.pipeline.yaml'), PIPELINE.replace('seed: 3', 'seed: 4'));
    writeFileSync(path.join(dir, 'data', 'b.csv'), 'x,y\n9,10\n');
    writeFileSync(path.join(dir, 'data', 'c.csv'), 'x,y\n1,1\n');
    const later = await planReproduction(store, runId, NOW);
    assert.equal(later.config.seed, 3, 'the stored file runs, not the edited one');
    assert.deepEqual(
      described(later).map(([kind, blocking, message]) => [kind, blocking, String(message).replace(/sha256:[0-9a-f]{12}/g, 'H')]),
      [
        ['data', true, 'data file data/b.csv changed (recorded H, now H)'],
        ['data', true, "data file data/c.csv is new: the pipeline's data pattern matches it now, run #1 did not read it"],
        ['pipeline-file', false, 'pipeline file small.pipeline.yaml was edited since run #1 (recorded H, now H): the stored copy runs'],
      ],
    );
    store.close();
  });

  it('a run from before stored files runs the file on disk while its hash matches, and blocks once it is edited', async () => {
    const { dir, store, runId } = await workspace();
    store.close();
    const raw = openRaw(path.join(dir, '.mlops', 'store.sqlite'));
    raw.exec('DELETE FROM run_files');
    raw.close();
    const reopened = RunStore.open(path.join(dir, '.mlops', 'store.sqlite'));
    const plan = await planReproduction(reopened, runId, NOW);
    assert.deepEqual([plan.files, plan.differences], [[], []]);
    writeFileSync(path.join(dir, 'small.pipeline.yaml'), PIPELINE + '# edited\n');
    const [edited] = (await planReproduction(reopened, runId, NOW)).differences;
    assert.deepEqual([edited.kind, edited.blocking], ['pipeline-file', true]);
    assert.match(edited.message, /the store has no copy of it/);
    reopened.close();
  });

  it('in git: an uncommitted edit to a stored file is covered by its copy; any other, or another commit, blocks', async () => {
    const { dir, store, runId } = await workspace({ git: true });
    assert.equal(store.getRun(runId)!.gitDirty, false);
    writeFileSync(path.join(dir, 'count.js'), 'console.log("edited")\n');
    assert.deepEqual(
      described(await planReproduction(store, runId, NOW)).map(([kind, blocking]) => [kind, blocking]),
      [['script', false]],
    );
    writeFileSync(path.join(dir, '.gitignore'), '.mlops/\n*.log\n');
    const [dirty] = (await planReproduction(store, runId, NOW)).differences;
    assert.deepEqual([dirty.kind, dirty.blocking], ['git', true]);
    assert.match(dirty.message, /^uncommitted changes to \.gitignore; run #1 ran on a clean checkout of [0-9a-f]{12}$/);
    git(dir, 'commit', '-qam', 'second');
    const [moved] = (await planReproduction(store, runId, NOW)).differences;
    assert.match(moved.message, /^commit [0-9a-f]{12} of run #1 is not checked out \(HEAD is [0-9a-f]{12}\): git checkout [0-9a-f]{40}$/);
    store.close();
  });

  it('refuses a run that is still running or a tracked script, and names a run that is not there', async () => {
    const { store } = await workspace();
    await assert.rejects(planReproduction(store, 99, NOW), /no run #99 in this store/);
    const running = store.createRun({ pipelineName: 'small', pipelineFile: '/x.pipeline.yaml', pipelineHash: 'sha256:x', toolVersion: 'test' });
    await assert.rejects(planReproduction(store, running.id, NOW), /run #\d+ is still running/);
    store.startExecution(running.id, 'script', 'script');
    store.finishRun(running.id, 'complete');
    await assert.rejects(planReproduction(store, running.id, NOW), /recorded by a script outside a pipeline \(mlops track\)/);
    store.close();
  });
});
