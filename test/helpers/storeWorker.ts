/**
 * A child process that works on one store through whichever SQLite driver MLOPS_SQLITE_DRIVER names,
 * on whatever Node runs it, so tests can put the two drivers (and two Nodes) on one store at once.
 * It takes one JSON command a line on stdin and answers each with one JSON line on stdout.
 *
 *   { "do": "hello" }                          → { driver, sqliteVersion, node }
 *   { "do": "hold" }                           → holds the write lock (BEGIN IMMEDIATE + a row) → { held: true }
 *   { "do": "commit" }                         → commits what it held → { committed: true }
 *   { "do": "write", "runs": n, "tag": t }     → n runs with params and metrics → { ids: [...] }
 *   { "do": "tryWrite", "busyTimeoutMs": ms }  → one run, waiting at most ms → { id } or { locked: message }
 *   { "do": "read" }                           → what the store holds → { runs, metrics, pipelines, integrity }
 */
import * as readline from 'node:readline';
import { RunStore } from '../../src/core/store';
import { describeDriver, processDriver } from '../../src/core/store/driver/select';
import type { SqlConnection } from '../../src/core/store/driver/types';
import { isUserError } from '../../src/core/util/problems';

const storePath = process.argv[2];
let held: SqlConnection | undefined;

function newRun(tag: string) {
  return { pipelineName: `cross-${tag}`, pipelineFile: `${tag}.pipeline.yaml`, pipelineHash: `sha256:${tag}`, toolVersion: '0.0.0' };
}

function handle(command: { do: string; runs?: number; tag?: string; busyTimeoutMs?: number }): unknown {
  switch (command.do) {
    case 'hello': {
      const info = describeDriver(processDriver());
      return { driver: info.name, sqliteVersion: info.sqliteVersion, node: info.nodeVersion };
    }
    case 'hold': {
      held = processDriver().connect(storePath, { readonly: false, busyTimeoutMs: 5000 });
      held.exec('BEGIN IMMEDIATE');
      held.prepare('INSERT INTO pipelines (name, file, created_at) VALUES (?, ?, ?)').run(`held-by-${process.pid}`, 'held.yaml', Date.now());
      return { held: true };
    }
    case 'commit': {
      held!.exec('COMMIT');
      held!.close();
      held = undefined;
      return { committed: true };
    }
    case 'write': {
      const store = RunStore.open(storePath, { busyTimeoutMs: 30_000 });
      try {
        const ids: number[] = [];
        for (let i = 0; i < (command.runs ?? 1); i++) {
          const run = store.createRun(newRun(command.tag ?? 'w'));
          store.logParams(run.id, { writer: command.tag ?? 'w', index: String(i) });
          store.logMetrics(
            run.id,
            null,
            Array.from({ length: 50 }, (_, step) => ({ key: 'loss', value: 1 / (step + 1), step })),
          );
          store.finishRun(run.id, 'complete');
          ids.push(run.id);
        }
        return { ids };
      } finally {
        store.close();
      }
    }
    case 'tryWrite': {
      try {
        const store = RunStore.open(storePath, { busyTimeoutMs: command.busyTimeoutMs });
        try {
          return { id: store.createRun(newRun('try')).id };
        } finally {
          store.close();
        }
      } catch (error) {
        if (isUserError(error)) return { locked: error.message };
        throw error;
      }
    }
    case 'read': {
      const store = RunStore.open(storePath, { readonly: true });
      try {
        const page = store.listRuns({ limit: 100_000 });
        const metrics = page.runs.reduce((sum, run) => sum + store.metricHistory(run.id, 'loss').length, 0);
        return {
          runs: page.total,
          runIds: page.runs.map((r) => r.id).sort((a, b) => a - b),
          drivers: [...new Set(page.runs.map((r) => r.sqliteDriver))].sort(),
          metrics,
          pipelines: store.listPipelines().map((p) => p.name),
          integrity: store.integrityCheck(),
        };
      } finally {
        store.close();
      }
    }
    default:
      throw new Error(`unknown command ${command.do}`);
  }
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  let answer: unknown;
  try {
    answer = handle(JSON.parse(line) as { do: string });
  } catch (error) {
    answer = { error: error instanceof Error ? error.message : String(error) };
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
});
