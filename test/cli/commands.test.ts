import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { RunDetails, RunListPage } from '../../src/core/store/types';
import { mlops, mlopsJson } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

describe('mlops help and usage', () => {
  it('prints help, version and per-command help', () => {
    const cwd = tempDir();
    const help = mlops(['--help'], cwd);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /Commands:[\s\S]*run[\s\S]*runs list[\s\S]*runs show[\s\S]*runs delete/);
    assert.match(mlops(['--version'], cwd).stdout, /^\d+\.\d+\.\d+\n$/);
    for (const command of [['run'], ['runs', 'list'], ['runs', 'show'], ['runs', 'delete'], ['demo'], ['validate']]) {
      const r = mlops([...command, '--help'], cwd);
      assert.equal(r.status, 0, command.join(' '));
      assert.match(r.stdout, new RegExp(`Usage: mlops ${command.join(' ')}`));
    }
  });

  it('python-path prints the folder of the mlops Python module', () => {
    const r = mlops(['python-path'], tempDir());
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(path.join(r.stdout.trim(), 'mlops', '__init__.py')), r.stdout);
  });

  it('rejects unknown commands and options with exit code 2 and a hint', () => {
    const cwd = tempDir();
    const unknown = mlops(['frobnicate'], cwd);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown command 'frobnicate'/);
    const option = mlops(['run', 'x.pipeline.yaml', '--fast'], cwd);
    assert.equal(option.status, 2);
    assert.match(option.stderr, /unknown option --fast[\s\S]*mlops run --help/);
    const missing = mlops(['runs', 'show'], cwd);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /missing <run-id>/);
  });
});

describe('mlops demo, run and runs', () => {
  const dir = tempDir();

  it('generates the demo and runs it to completion', () => {
    const r = mlops(['demo', 'ws'], dir);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /run #1 complete/);
    assert.match(r.stdout, /store +.*ws\/\.mlops\/store\.sqlite/);
    assert.match(r.stdout, /1 bad row|bad rows?: 1/i);
  });

  it('lists and shows the run as documented JSON', () => {
    const ws = path.join(dir, 'ws');
    const page = mlopsJson<RunListPage>(['runs', 'list'], ws);
    assert.equal(page.total, 1);
    assert.equal(page.runs[0].status, 'complete');
    assert.equal(page.runs[0].pipelineName, 'taxi-demo');
    const details = mlopsJson<RunDetails>(['runs', 'show', '1'], ws);
    assert.deepEqual(details.executions.map((e) => [e.component, e.status]).sort(), [
      ['evaluate', 'complete'],
      ['ingest', 'complete'],
      ['push', 'complete'],
      ['schema', 'complete'],
      ['span-report', 'complete'],
      ['statistics', 'complete'],
      ['train', 'complete'],
      ['transform', 'complete'],
      ['validate', 'complete'],
    ]);
    assert.ok(
      details.artifacts.some((a) => a.type === 'Model' && a.role === 'output'),
      'the demo trains a model',
    );
    assert.ok(
      details.artifacts.some((a) => a.type === 'PushedModel' && a.role === 'output'),
      'evaluates it and pushes it',
    );
    assert.ok(details.run.tfjsBackend, 'and records the backend that trained it');
    assert.ok(
      details.artifacts.some((a) => a.type === 'Schema' && a.uri === path.join(ws, 'data-schema.json')),
      'the inferred schema is an artifact',
    );
    assert.ok(
      details.metrics.some((m) => m.key === 'drift.payment_type.linf' && m.points === 6),
      'one drift value per pair of days',
    );
    assert.ok(details.metrics.some((m) => m.key === 'tip_rate' && m.points === 7));
    assert.ok(details.artifacts.some((a) => a.type === 'Examples' && a.state === 'live' && a.contentHash?.startsWith('sha256:')));
    assert.equal(details.params.label, 'big_tipper');
    assert.equal(details.params['evaluate.split'], 'eval', 'a component parameter is named once by its component');
    assert.equal(details.params['push.model'], 'taxi');
    assert.ok(!Object.keys(details.params).some((k) => /^(\w+)\.\1\./.test(k)), `no doubled prefix: ${Object.keys(details.params).join(', ')}`);
    assert.equal(details.run.toolVersion, mlops(['--version'], ws).stdout.trim());
  });

  it('reuses unchanged work on the next run and says so', () => {
    const ws = path.join(dir, 'ws');
    const r = mlops(['run', 'taxi.pipeline.yaml', '--json'], ws);
    assert.equal(r.status, 0, r.stderr);
    const outcome = JSON.parse(r.stdout);
    assert.equal(outcome.runId, 2);
    const statuses = Object.fromEntries(outcome.components.map((c: { name: string; status: string }) => [c.name, c.status]));
    // The schema was inferred by run 1; from now on it is read from the file (a new input), and
    // validate, transform and train see the same schema content, so they are reused. Evaluate and
    // push always run: the baseline and the registry may have changed.
    assert.deepEqual(statuses, {
      ingest: 'cached',
      statistics: 'cached',
      'span-report': 'cached',
      schema: 'complete',
      validate: 'cached',
      transform: 'cached',
      train: 'cached',
      evaluate: 'complete',
      push: 'complete',
    });
    assert.match(r.stderr, /cached/, 'progress goes to stderr with --json');
  });

  it('runs one component with --component', () => {
    const ws = path.join(dir, 'ws');
    const outcome = mlopsJson<{ components: { name: string }[] }>(['run', 'taxi.pipeline.yaml', '--component', 'ingest'], ws);
    assert.deepEqual(
      outcome.components.map((c) => c.name),
      ['ingest'],
    );
  });

  it('deletes a run and its own artifacts but never the data', () => {
    const ws = path.join(dir, 'ws');
    const details = mlopsJson<RunDetails>(['runs', 'show', '1'], ws);
    const examples = details.artifacts.find((a) => a.type === 'Examples' && a.role === 'output')!;
    // runs 2 and 3 reuse run 1's examples: deleting run 1 must keep them.
    assert.equal(mlops(['runs', 'delete', '1'], ws).status, 0);
    assert.ok(existsSync(examples.uri), 'an artifact other runs use is kept');
    assert.equal(mlops(['runs', 'show', '1'], ws).status, 2);
    for (const id of ['2', '3']) assert.equal(mlops(['runs', 'delete', id], ws).status, 0);
    assert.ok(!existsSync(examples.uri), 'the artifact is removed with the last run using it');
    assert.ok(existsSync(path.join(ws, 'data', 'spans')), 'data is never deleted');
    assert.ok(readFileSync(path.join(ws, 'reports', 'spans.json'), 'utf8').length > 0, "a step's own output stays");
    assert.equal(mlopsJson<RunListPage>(['runs', 'list'], ws).total, 0);
  });
});
