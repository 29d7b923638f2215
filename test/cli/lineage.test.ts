import assert from 'node:assert/strict';
import { readdirSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import type { LineageGraph } from '../../src/core/store/types';
import { mlops, mlopsJson } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

/** The demo pipeline run twice: the second run reuses the first one's work (cached executions). */
describe('mlops lineage', () => {
  // Made here, not in before(): tempDir removes the folder when its enclosing test or hook ends.
  const dir = path.join(tempDir('mlops-lineage-'), 'demo');
  const elsewhere = tempDir('mlops-lineage-empty-');
  let span: string;
  const kinds = (g: LineageGraph, kind: string) => g.nodes.filter((n) => n.kind === kind);

  before(() => {
    const demo = mlops(['demo', dir], path.dirname(dir));
    assert.equal(demo.status, 0, demo.stderr + demo.stdout);
    const again = mlops(['run', 'taxi.pipeline.yaml'], dir);
    assert.equal(again.status, 0, again.stderr + again.stdout);
    span = path.join('data', 'spans', readdirSync(path.join(dir, 'data', 'spans')).sort()[0]);
  });

  it('upstream of production: the version, the push, the evaluation that blessed it, back to the data files', () => {
    const g = mlopsJson<LineageGraph>(['lineage', 'taxi@production', '--direction', 'up'], dir);
    assert.deepEqual(g.subjects, ['model:taxi@1']);
    assert.equal(g.direction, 'up');
    const components = kinds(g, 'execution').map((n) => (n.kind === 'execution' ? n.execution.component : ''));
    for (const c of ['ingest', 'statistics', 'schema', 'transform', 'train', 'evaluate', 'push']) assert.ok(components.includes(c), `${c} in ${components}`);
    assert.ok(
      kinds(g, 'artifact').some((n) => n.kind === 'artifact' && n.artifact.uri.endsWith(span)),
      'the first span is a source',
    );
    assert.ok(g.edges.some((e) => e.to === 'model:taxi@1' && e.kind === 'pushed'));
    assert.deepEqual(kinds(g, 'monitoring'), [], 'nothing downstream');
  });

  it("a run that reused another's work lists each reused execution with the run that did it", () => {
    const r = mlops(['lineage', '2', '--direction', 'up'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Lineage of 2 · upstream · \d+ executions, \d+ artifacts/);
    assert.match(r.stdout, /▶ run #2 +train +reused run #1/);
    assert.match(r.stdout, /in +transform\.transformed_examples +TransformedExamples #\d+ +\.mlops\/artifacts\/taxi-demo\/transform\//);
  });

  it('downstream of a data file: everything built from it, to the registered version', () => {
    const g = mlopsJson<LineageGraph>(['lineage', span, '--direction', 'down'], dir);
    assert.equal(g.subjects.length, 1, 'one run read the file (the second reused the ingest)');
    assert.ok(kinds(g, 'modelVersion').some((n) => n.id === 'model:taxi@1'));
    assert.ok(
      kinds(g, 'execution').every((n) => n.kind === 'execution' && n.execution.status !== 'cached'),
      'cached executions built nothing',
    );
    const text = mlops(['lineage', span, '--direction', 'down'], dir).stdout;
    assert.match(text, /Model versions\n {2}taxi@1 {2}production · blessed/);
  });

  it('a data file moved away since keeps its lineage', () => {
    const moved = path.join(path.dirname(dir), 'moved.csv');
    renameSync(path.join(dir, span), moved);
    try {
      const g = mlopsJson<LineageGraph>(['lineage', span, '--direction', 'down'], dir);
      assert.ok(kinds(g, 'modelVersion').some((n) => n.id === 'model:taxi@1'));
    } finally {
      renameSync(moved, path.join(dir, span));
    }
  });

  it('a pipeline file stands for its newest run', () => {
    const g = mlopsJson<LineageGraph>(['lineage', 'taxi.pipeline.yaml', '--direction', 'up'], dir);
    const runs = new Set(g.nodes.flatMap((n) => (n.kind === 'execution' && g.subjects.includes(n.id) ? [n.execution.runId] : [])));
    assert.deepEqual([...runs], [2]);
  });

  it('says what is wrong with the subject or an option, with exit code 2', () => {
    writeFileSync(path.join(dir, 'notes.txt'), 'never read by a run\n');
    for (const [args, message] of [
      [['99'], /there is no run 99 in the run store/],
      [['taxi@7'], /there is no model version taxi@7/],
      [['taxi@staging'], /model taxi has no alias 'staging'/],
      [['notes.txt'], /no run has read or written notes\.txt/],
      [['artifact:4242'], /there is no artifact 4242/],
      [['artifact:xyz'], /'artifact:xyz' does not name an artifact/],
      [['data/spans/never-there.csv'], /no run has read or written data\/spans\/never-there\.csv/],
      [['2', '--direction', 'sideways'], /unknown direction 'sideways'.*use one of: up, down, both/s],
      [['2', '--depth', '0'], /--depth must be a whole number of at least 1/],
    ] as const) {
      const r = mlops(['lineage', ...args], dir);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
    const noStore = mlops(['lineage', '1'], elsewhere);
    assert.equal(noStore.status, 2);
    assert.match(noStore.stderr, /there is no run store here yet/);
  });
});
