import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reproductionDifferences, type ReproductionFacts } from '../../../src/core/reproduce/differences';
import type { RunRecord } from '../../../src/core/store/types';

const RUN: RunRecord = {
  id: 12,
  pipelineId: 1,
  pipelineName: 'taxi',
  pipelineFile: '/w/taxi.pipeline.yaml',
  status: 'complete',
  component: null,
  startedAt: 0,
  endedAt: 1,
  pipelineHash: 'sha256:aaaa',
  gitCommit: 'c0ffee0000000000000000000000000000000000',
  gitDirty: false,
  toolVersion: '0.1.0',
  tfjsBackend: 'wasm',
  seed: 7,
  error: null,
  pid: 1,
  hostname: 'h',
  parentRunId: null,
  nodeVersion: '24.1.0',
  sqliteDriver: 'node:sqlite',
  sqliteVersion: '3.50.0',
  trigger: null,
  reproducesRunId: null,
};

/** Facts with nothing changed since the run. */
function facts(over: Partial<ReproductionFacts> = {}, run: Partial<RunRecord> = {}): ReproductionFacts {
  return {
    run: { ...RUN, ...run },
    dir: '/w',
    toolVersion: '0.1.0',
    nodeVersion: '24.1.0',
    git: { commit: RUN.gitCommit, uncommitted: [] },
    pipeline: { stored: true, current: RUN.pipelineHash },
    scripts: [{ path: '/w/train.py', recorded: 'sha256:5555', current: 'sha256:5555' }],
    inputs: [
      {
        input: { component: 'ingest', name: 'train/train.csv', type: 'DataFile', uri: '/w/data/train.csv', contentHash: 'sha256:dddd' },
        current: 'sha256:dddd',
      },
    ],
    addedData: [],
    unknownInputs: [],
    seed: 7,
    backend: { recorded: 'wasm' },
    ...over,
  };
}

const summary = (f: ReproductionFacts) => reproductionDifferences(f).map((d) => [d.kind, d.blocking, d.message]);

describe('reproductionDifferences', () => {
  it('finds none when everything is as the run had it', () => {
    assert.deepEqual(reproductionDifferences(facts()), []);
  });

  it('names a changed, a missing and a new data file with both hashes, and blocks on each', () => {
    const input = (uri: string) => ({ component: 'ingest', name: `train/${uri}`, type: 'DataFile', uri, contentHash: 'sha256:dddd' });
    const f = facts({
      inputs: [
        { input: input('/w/data/a.csv'), current: 'sha256:eeee' },
        { input: input('/w/data/b.csv'), current: null },
      ],
      addedData: ['/w/data/c.csv'],
    });
    assert.deepEqual(summary(f), [
      ['data', true, 'data file data/a.csv changed (recorded sha256:dddd, now sha256:eeee)'],
      ['data', true, 'data file data/b.csv is gone (recorded sha256:dddd, now missing)'],
      ['data', true, "data file data/c.csv is new: the pipeline's data pattern matches it now, run #12 did not read it"],
    ]);
    assert.deepEqual(summary(facts({ unknownInputs: ['ingest', 'statistics'] })), [
      ['data', true, 'what ingest, statistics read is not known: run #12 reused their results from a run since deleted, so its data cannot be checked'],
    ]);
  });

  it('says an edited pipeline file or script runs from its stored copy, without blocking', () => {
    const f = facts({ pipeline: { stored: true, current: 'sha256:bbbb' }, scripts: [{ path: '/w/train.py', recorded: 'sha256:5555', current: null }] });
    assert.deepEqual(summary(f), [
      ['pipeline-file', false, 'pipeline file taxi.pipeline.yaml was edited since run #12 (recorded sha256:aaaa, now sha256:bbbb): the stored copy runs'],
      ['script', false, 'script train.py was deleted since run #12 (recorded sha256:5555, now missing): the stored copy runs'],
    ]);
  });

  it('blocks on an edited pipeline file the store has no copy of (a run older than stored files)', () => {
    const [d] = reproductionDifferences(facts({ pipeline: { stored: false, current: 'sha256:bbbb' } }));
    assert.equal(d.blocking, true);
    assert.match(d.message, /the store has no copy of it/);
  });

  it('blocks on another commit, on uncommitted changes, and on leaving git; notes a run made outside git', () => {
    assert.deepEqual(summary(facts({ git: { commit: 'bad0000000000000', uncommitted: [] } })), [
      ['git', true, `commit c0ffee000000 of run #12 is not checked out (HEAD is bad000000000): git checkout ${RUN.gitCommit}`],
    ]);
    assert.deepEqual(summary(facts({ git: { commit: RUN.gitCommit, uncommitted: ['/w/model.py', '/elsewhere/x.py'] } })), [
      ['git', true, 'uncommitted changes to model.py, /elsewhere/x.py; run #12 ran on a clean checkout of c0ffee000000'],
    ]);
    assert.deepEqual(summary(facts({ git: { commit: null, uncommitted: [] } })), [
      ['git', true, "the pipeline's folder is not in a git repository now; run #12 ran at commit c0ffee000000"],
    ]);
    assert.deepEqual(summary(facts({ git: { commit: 'abc', uncommitted: [] } }, { gitCommit: null, gitDirty: null })), [
      ['git', false, 'run #12 was not made in a git repository: only its stored pipeline file and scripts are known'],
    ]);
    // A run made with uncommitted changes cannot be checked against the tree: said, not blocking.
    assert.deepEqual(
      summary(facts({ git: { commit: RUN.gitCommit, uncommitted: ['/w/model.py'] } }, { gitDirty: true })).map(([, blocking]) => blocking),
      [false],
    );
  });

  it('blocks on a backend that does not start, another seed and another mlops; notes another Node', () => {
    const f = facts({ backend: { recorded: 'wasm', failure: 'no WebAssembly' }, seed: 8, toolVersion: '0.2.0', nodeVersion: '22.15.1' });
    assert.deepEqual(summary(f), [
      [
        'backend',
        true,
        'run #12 trained on the tfjs wasm backend, which does not start here (no WebAssembly); forced, it trains on the backend train.backend picks',
      ],
      ['seed', true, 'run #12 recorded seed 7, the pipeline file that would run says 8'],
      ['tool-version', true, 'run #12 was made with mlops 0.1.0, this is mlops 0.2.0'],
      ['node-version', false, 'run #12 ran on Node 24.1.0, this is Node 22.15.1'],
    ]);
  });

  it('lists blocking differences first', () => {
    const kinds = reproductionDifferences(facts({ pipeline: { stored: true, current: null }, toolVersion: '9' })).map((d) => d.blocking);
    assert.deepEqual(kinds, [true, false]);
  });
});
