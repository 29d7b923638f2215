import assert from 'node:assert/strict';
import { existsSync, promises as fs, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parsePipeline } from '../../../src/core/pipeline/load';
import type { PipelineConfig } from '../../../src/core/pipeline/config';
import type { RunEvent } from '../../../src/core/runner/events';
import type { Executor } from '../../../src/core/runner/executor';
import { executorFor } from '../../../src/core/runner/executors';
import { runPipeline } from '../../../src/core/runner/runner';
import { RunStore } from '../../../src/core/store';
import { UserError } from '../../../src/core/util/problems';
import { tempDir } from '../../helpers/tmp';

function setup(pipelineText: string) {
  const dir = tempDir();
  const file = path.join(dir, 'p.pipeline.yaml');
  const parsed = parsePipeline(pipelineText, file);
  assert.deepEqual(parsed.problems, []);
  const store = RunStore.open(path.join(dir, '.mlops', 'store.sqlite'));
  return { dir, config: parsed.config!, store, artifactsRoot: path.join(dir, '.mlops', 'artifacts') };
}

/** An ingest stand-in that writes one managed artifact whose content depends on a counter. */
function fakeIngest(content: () => string, calls: { n: number }): Executor {
  return {
    fingerprint: async () => ({ content: content() }),
    run: async (ctx) => {
      calls.n++;
      const dir = await ctx.outputDir('examples');
      await fs.writeFile(path.join(dir, 'rows.txt'), content());
      return { outputs: [{ name: 'examples', type: 'Examples', path: dir, managed: true }], metrics: [{ key: 'rows', value: 3 }], summary: '3 rows' };
    },
  };
}

function options(
  env: ReturnType<typeof setup>,
  executors: (name: string, config: PipelineConfig) => Executor,
  extra: Partial<Parameters<typeof runPipeline>[0]> = {},
) {
  const events: RunEvent[] = [];
  return {
    events,
    opts: {
      config: env.config,
      store: env.store,
      artifactsRoot: env.artifactsRoot,
      signal: new AbortController().signal,
      reporter: { event: (e: RunEvent) => events.push(e), log: () => undefined },
      toolVersion: 'test',
      executorFor: (c: { name: string }, config: PipelineConfig) => executors(c.name, config),
      ...extra,
    },
  };
}

const PIPELINE = `pipeline: t
data: { train: a.csv }
steps:
  - name: copy
    run: cp "$MLOPS_UPSTREAM_INGEST_EXAMPLES/rows.txt" out.txt
    after: ingest
    outputs: { copied: out.txt }
  - name: side
    run: echo side effect
`;

describe('runPipeline', () => {
  it('runs components in order, publishes artifacts with hashes and records lineage', async () => {
    const env = setup(PIPELINE);
    const calls = { n: 0 };
    const { opts, events } = options(env, (name, config) =>
      name === 'ingest' ? fakeIngest(() => 'a,b,c', calls) : executorFor({ name, type: 'step', dependsOn: [], location: { file: '' } }, config),
    );
    const outcome = await runPipeline(opts);
    assert.equal(outcome.status, 'complete', outcome.error);
    assert.equal(outcome.exitCode, 0);
    const details = env.store.getRunDetails(outcome.runId)!;
    assert.deepEqual(details.executions.map((e) => [e.component, e.status]).sort(), [
      ['copy', 'complete'],
      ['ingest', 'complete'],
      ['side', 'complete'],
    ]);
    const examples = details.artifacts.find((a) => a.name === 'examples' && a.role === 'output')!;
    assert.equal(examples.state, 'live');
    assert.match(examples.contentHash!, /^sha256:/);
    assert.ok(examples.uri.startsWith(env.artifactsRoot));
    assert.equal(await fs.readFile(path.join(examples.uri, 'rows.txt'), 'utf8'), 'a,b,c');
    assert.ok(
      details.artifacts.some((a) => a.role === 'input' && a.name === 'ingest.examples'),
      'copy links its upstream input',
    );
    assert.equal(await fs.readFile(path.join(env.dir, 'out.txt'), 'utf8'), 'a,b,c');
    assert.deepEqual(
      details.metrics.map((m) => [m.key, m.value]),
      [['rows', 3]],
    );
    assert.equal(details.params['data.train'], 'a.csv');
    assert.deepEqual(readdirSync(path.join(env.artifactsRoot, '.tmp')), [], 'no temporary folder is left');
    assert.equal(events[0].type, 'run-started');
    assert.equal(events.at(-1)!.type, 'run-finished');
  });

  it('reuses unchanged components from an earlier run and reruns what changed', async () => {
    const env = setup(PIPELINE);
    const calls = { n: 0 };
    let content = 'v1';
    const make = () =>
      options(env, (name, config) =>
        name === 'ingest' ? fakeIngest(() => content, calls) : executorFor({ name, type: 'step', dependsOn: [], location: { file: '' } }, config),
      ).opts;
    await runPipeline(make());
    const second = await runPipeline(make());
    assert.equal(calls.n, 1, 'ingest ran once');
    const statuses = Object.fromEntries(second.components.map((c) => [c.name, c.status]));
    assert.deepEqual(statuses, { ingest: 'cached', copy: 'cached', side: 'complete' });
    content = 'v2';
    const third = await runPipeline(make());
    assert.deepEqual(Object.fromEntries(third.components.map((c) => [c.name, c.status])), { ingest: 'complete', copy: 'complete', side: 'complete' });
    assert.equal(await fs.readFile(path.join(env.dir, 'out.txt'), 'utf8'), 'v2');
  });

  it('reruns a cached step whose output file was changed by hand', async () => {
    const env = setup(PIPELINE);
    const calls = { n: 0 };
    const make = () =>
      options(env, (name, config) =>
        name === 'ingest' ? fakeIngest(() => 'same', calls) : executorFor({ name, type: 'step', dependsOn: [], location: { file: '' } }, config),
      ).opts;
    await runPipeline(make());
    await fs.writeFile(path.join(env.dir, 'out.txt'), 'edited');
    const again = await runPipeline(make());
    assert.equal(again.components.find((c) => c.name === 'copy')!.status, 'complete');
  });

  it('fails the run on a component error, skips its dependents and leaves no half artifact', async () => {
    const env = setup(PIPELINE);
    const failing: Executor = {
      fingerprint: async () => undefined,
      run: async (ctx) => {
        const dir = await ctx.outputDir('examples');
        await fs.writeFile(path.join(dir, 'partial'), 'x');
        throw UserError.at('bad data', { file: 'a.csv', row: 3 });
      },
    };
    const { opts } = options(env, (name, config) =>
      name === 'ingest' ? failing : executorFor({ name, type: 'step', dependsOn: [], location: { file: '' } }, config),
    );
    const outcome = await runPipeline({ ...opts, maxParallel: 1 });
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.exitCode, 2);
    assert.match(outcome.error!, /a\.csv, row 3: error: bad data/);
    assert.equal(outcome.components.find((c) => c.name === 'copy')!.status, 'skipped');
    const run = env.store.getRun(outcome.runId)!;
    assert.equal(run.status, 'failed');
    assert.deepEqual(readdirSync(path.join(env.artifactsRoot, '.tmp')), []);
  });

  it('cancels a running step when aborted: run canceled, exit code 130', async () => {
    const env = setup('pipeline: t\ndata: { train: a.csv }\nsteps:\n  - { name: slow, run: sleep 30 }\n');
    const controller = new AbortController();
    const { opts } = options(env, (name, config) =>
      name === 'ingest' ? fakeIngest(() => 'x', { n: 0 }) : executorFor({ name, type: 'step', dependsOn: [], location: { file: '' } }, config),
    );
    const started = Date.now();
    setTimeout(() => controller.abort(new UserError({ severity: 'error', message: 'canceled' })), 300);
    const outcome = await runPipeline({ ...opts, signal: controller.signal });
    assert.equal(outcome.status, 'canceled');
    assert.equal(outcome.exitCode, 130);
    assert.ok(Date.now() - started < 10_000, 'the step was stopped, not waited for');
    assert.equal(env.store.getRunDetails(outcome.runId)!.executions.find((e) => e.component === 'slow')!.status, 'canceled');
  });

  it('runs one component with what it needs', async () => {
    const env = setup(PIPELINE);
    const { opts } = options(env, (name, config) =>
      name === 'ingest' ? fakeIngest(() => 'x', { n: 0 }) : executorFor({ name, type: 'step', dependsOn: [], location: { file: '' } }, config),
    );
    const outcome = await runPipeline({ ...opts, component: 'copy' });
    assert.deepEqual(
      outcome.components.map((c) => c.name),
      ['ingest', 'copy'],
    );
    assert.equal(env.store.getRun(outcome.runId)!.component, 'copy');
    await assert.rejects(runPipeline({ ...opts, component: 'nope' }), /has no component 'nope'/);
    assert.ok(existsSync(path.join(env.dir, 'out.txt')));
  });
});
