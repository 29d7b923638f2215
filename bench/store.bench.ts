/**
 * The run store under a training loop's load and a big history: metric inserts through the store API
 * against the same inserts through raw better-sqlite3 (same schema, pragmas and transactions) in the
 * same process, then list and detail queries over 10,000 runs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { RunStore, type MetricPoint, type RunStatus } from '../src/core/store';
import { elapsedMs, medianMs, round } from './measure';
import type { BenchResult } from './types';

const POINTS = 1_000_000;
/** What one training step logs: one transaction per step when logged unbuffered. */
const STEP_KEYS = ['loss', 'acc', 'auc', 'precision', 'recall', 'val_loss', 'val_acc', 'val_auc', 'lr', 'grad_norm'];
const STEPS = POINTS / STEP_KEYS.length;
const LOGGER_BATCH = 1000;
const ROUNDS = 10;
const RUNS = 10_000;
const QUERY_TARGET_MS = 50;
const RATIO_TARGET = 0.5;

function stepValues(step: number): Record<string, number> {
  return Object.fromEntries(STEP_KEYS.map((key, i) => [key, 1 / (step + i + 1)]));
}

function stepPoints(step: number): MetricPoint[] {
  return STEP_KEYS.map((key, i) => ({ key, value: 1 / (step + i + 1), step }));
}

/** Writes the points of steps [from, to) into its own fresh store. */
interface Inserter {
  insert(from: number, to: number): void;
  close(): void;
}

/** A fresh store with one running run and its train execution, as a training loop sees it. */
function trainingStore(dir: string, name: string): { store: RunStore; storePath: string; runId: number; executionId: number } {
  const storePath = path.join(dir, `${name}.db`);
  const store = RunStore.open(storePath);
  const run = store.createRun({ pipelineName: 'bench', pipelineFile: 'bench.yaml', pipelineHash: 'sha256:x', toolVersion: 'bench' });
  const execution = store.startExecution(run.id, 'train', 'train');
  return { store, storePath, runId: run.id, executionId: execution.id };
}

/** An unbuffered training loop: one logMetrics call per step. */
function logMetricsPerStep(dir: string): Inserter {
  const { store, runId, executionId } = trainingStore(dir, 'api-steps');
  return {
    insert: (from, to) => {
      for (let step = from; step < to; step++) store.logMetrics(runId, executionId, stepPoints(step));
    },
    close: () => store.close(),
  };
}

function metricLogger(dir: string): Inserter {
  const { store, runId, executionId } = trainingStore(dir, 'api-logger');
  const logger = store.metricLogger(runId, executionId, { maxPoints: LOGGER_BATCH, maxDelayMs: 60_000 });
  return {
    insert: (from, to) => {
      for (let step = from; step < to; step++) logger.log(stepValues(step), step);
    },
    close: () => store.close(),
  };
}

/** The reference: one prepared statement, one transaction per batch of `batchSize` points, nothing else. */
function rawSqlite(dir: string, batchSize: number): Inserter {
  const { store, storePath, runId, executionId } = trainingStore(dir, `raw-${batchSize}`);
  store.close();
  const db = new Database(storePath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  const insert = db.prepare('INSERT INTO metrics (run_id, execution_id, key, step, value, timestamp) VALUES (?, ?, ?, ?, ?, ?)');
  const insertBatch = db.transaction((points: MetricPoint[]) => {
    const now = Date.now();
    for (const p of points) insert.run(runId, executionId, p.key, p.step, p.value, now);
  });
  const stepsPerBatch = batchSize / STEP_KEYS.length;
  return {
    insert: (from, to) => {
      for (let step = from; step < to; step += stepsPerBatch) {
        const batch: MetricPoint[] = [];
        for (let s = step; s < step + stepsPerBatch; s++) batch.push(...stepPoints(s));
        insertBatch.immediate(batch);
      }
    },
    close: () => db.close(),
  };
}

/**
 * Points/s of the store API and of raw SQLite, inserted in alternating rounds (A B B A ...) so that
 * load from other processes on the machine hits both alike.
 */
function versus(api: Inserter, raw: Inserter): { api: number; raw: number } {
  const ms = { api: 0, raw: 0 };
  const stepsPerRound = STEPS / ROUNDS;
  for (let round = 0; round < ROUNDS; round++) {
    const from = round * stepsPerRound;
    const order = round % 2 === 0 ? (['api', 'raw'] as const) : (['raw', 'api'] as const);
    for (const side of order) ms[side] += elapsedMs(() => (side === 'api' ? api : raw).insert(from, from + stepsPerRound));
  }
  api.close();
  raw.close();
  return { api: Math.round(POINTS / (ms.api / 1000)), raw: Math.round(POINTS / (ms.raw / 1000)) };
}

const STATUSES: Exclude<RunStatus, 'running'>[] = ['complete', 'complete', 'complete', 'failed', 'canceled'];
const PIPELINES = ['taxi', 'penguins', 'iris', 'housing', 'mnist'];

/** 10,000 finished runs, each with params, a tag, three executions with artifacts and 20 metric points. */
function historyStore(dir: string): { store: RunStore; buildMs: number } {
  const store = RunStore.open(path.join(dir, 'history.db'));
  const buildMs = elapsedMs(() => {
    for (let i = 0; i < RUNS; i++) {
      const run = store.createRun({
        pipelineName: PIPELINES[i % PIPELINES.length],
        pipelineFile: `${PIPELINES[i % PIPELINES.length]}.yaml`,
        pipelineHash: `sha256:${i % 50}`,
        toolVersion: '0.1.0',
        seed: i,
      });
      store.logParams(run.id, { epochs: 20, batch_size: 256, learning_rate: 0.001 * (1 + (i % 7)), hidden: [64, 32], seed: i });
      store.setTags(run.id, { owner: i % 3 ? 'ana' : 'bo' });
      let previous: number | undefined;
      for (const component of ['ingest', 'transform', 'train']) {
        const execution = store.startExecution(run.id, component, component, {}, `${component}-${i}`);
        if (previous !== undefined) store.linkArtifact(execution.id, previous, 'input', 'examples');
        const artifact = store.createArtifact({ type: component, uri: `/store/${run.id}/${component}` });
        store.linkArtifact(execution.id, artifact.id, 'output', component);
        store.publishArtifact(artifact.id, { contentHash: `sha256:${i}`, sizeBytes: 1024 });
        store.finishExecution(execution.id, 'complete');
        previous = artifact.id;
      }
      store.logMetrics(run.id, null, Array.from({ length: 10 }, (_, step) => stepPoints(step).slice(0, 2)).flat());
      const status = STATUSES[i % STATUSES.length];
      store.finishRun(run.id, status, status === 'failed' ? 'train: loss became NaN' : null);
    }
  });
  return { store, buildMs };
}

export async function run(): Promise<BenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-bench-store-'));
  try {
    const steps = versus(logMetricsPerStep(dir), rawSqlite(dir, STEP_KEYS.length));
    const logged = versus(metricLogger(dir), rawSqlite(dir, LOGGER_BATCH));

    const { store, buildMs } = historyStore(dir);
    let probe = 0;
    const figures = {
      [`logMetrics, ${STEP_KEYS.length}-point batches (points/s)`]: steps.api,
      [`raw better-sqlite3, ${STEP_KEYS.length}-point batches (points/s)`]: steps.raw,
      'ratio logMetrics / raw': round(steps.api / steps.raw),
      [`MetricLogger, flush every ${LOGGER_BATCH} (points/s)`]: logged.api,
      [`raw better-sqlite3, ${LOGGER_BATCH}-point batches (points/s)`]: logged.raw,
      'ratio MetricLogger / raw': round(logged.api / logged.raw),
      [`build ${RUNS.toLocaleString('en-US')} runs through the API (s)`]: round(buildMs / 1000),
      'listRuns first page, 100 newest (ms)': round(medianMs(() => store.listRuns({ limit: 100 }))),
      'listRuns pipeline + status filter (ms)': round(
        medianMs(() => store.listRuns({ pipeline: 'penguins', status: ['failed', 'canceled'], limit: 100 })),
      ),
      'listRuns text search (ms)': round(medianMs(() => store.listRuns({ text: 'nan', limit: 100 }))),
      'listRuns by duration (ms)': round(medianMs(() => store.listRuns({ sort: 'duration', limit: 100 }))),
      'getRunDetails (ms)': round(medianMs(() => store.getRunDetails((probe = (probe + 7919) % RUNS) + 1))),
      'componentStatuses (ms)': round(medianMs(() => store.componentStatuses('taxi'))),
    };
    store.close();
    return {
      name: 'store',
      figures,
      notes: [
        `${POINTS.toLocaleString('en-US')} points per insert figure, each into a fresh store, API and raw alternating in ${ROUNDS} rounds; target ratio >= ${RATIO_TARGET}`,
        `query times are the median of 15 calls over ${RUNS.toLocaleString('en-US')} runs; target <= ${QUERY_TARGET_MS} ms`,
      ],
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
