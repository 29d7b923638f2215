/**
 * The run store under a training loop's load and a big history, on the SQLite driver this process
 * runs (MLOPS_SQLITE_DRIVER): metric inserts through the store API against the same inserts through
 * a raw connection of the same driver (same schema, pragmas and transactions), then list and detail
 * queries over 10,000 runs. Run as a child of store.bench.ts, once per driver, on a Node that has it;
 * prints its figures as one JSON line.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunStore, type MetricPoint, type RunStatus } from '../src/core/store';
import { processDriver } from '../src/core/store/driver/select';
import { elapsedMs, medianMs, round } from './measure';

const POINTS = 1_000_000;
/** What one training step logs: one transaction per step when logged unbuffered. */
const STEP_KEYS = ['loss', 'acc', 'auc', 'precision', 'recall', 'val_loss', 'val_acc', 'val_auc', 'lr', 'grad_norm'];
const STEPS = POINTS / STEP_KEYS.length;
const LOGGER_BATCH = 1000;
const ROUNDS = 10;
const RUNS = 10_000;

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
  const db = processDriver().connect(storePath, { readonly: false, busyTimeoutMs: 5000 });
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON');
  const insert = db.prepare('INSERT INTO metrics (run_id, execution_id, key, step, value, timestamp) VALUES (?, ?, ?, ?, ?, ?)');
  const insertBatch = (points: MetricPoint[]) => {
    db.exec('BEGIN IMMEDIATE');
    const now = Date.now();
    for (const p of points) insert.run(runId, executionId, p.key, p.step, p.value, now);
    db.exec('COMMIT');
  };
  const stepsPerBatch = batchSize / STEP_KEYS.length;
  return {
    insert: (from, to) => {
      for (let step = from; step < to; step += stepsPerBatch) {
        const batch: MetricPoint[] = [];
        for (let s = step; s < step + stepsPerBatch; s++) batch.push(...stepPoints(s));
        insertBatch(batch);
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

export interface StoreFigures {
  driver: string;
  sqliteVersion: string;
  node: string;
  /** points/s */
  stepsApi: number;
  stepsRaw: number;
  loggerApi: number;
  loggerRaw: number;
  buildSeconds: number;
  /** ms, median */
  listFirstPage: number;
  listFiltered: number;
  listText: number;
  listByDuration: number;
  runDetails: number;
  componentStatuses: number;
}

export const STORE_WORKLOAD = {
  points: POINTS,
  stepKeys: STEP_KEYS.length,
  loggerBatch: LOGGER_BATCH,
  rounds: ROUNDS,
  runs: RUNS,
};

function measure(): StoreFigures {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-bench-store-'));
  try {
    const steps = versus(logMetricsPerStep(dir), rawSqlite(dir, STEP_KEYS.length));
    const logged = versus(metricLogger(dir), rawSqlite(dir, LOGGER_BATCH));
    const { store, buildMs } = historyStore(dir);
    let probe = 0;
    const figures: StoreFigures = {
      driver: store.driver.name,
      sqliteVersion: store.driver.sqliteVersion,
      node: store.driver.nodeVersion,
      stepsApi: steps.api,
      stepsRaw: steps.raw,
      loggerApi: logged.api,
      loggerRaw: logged.raw,
      buildSeconds: round(buildMs / 1000),
      listFirstPage: round(medianMs(() => store.listRuns({ limit: 100 }))),
      listFiltered: round(medianMs(() => store.listRuns({ pipeline: 'penguins', status: ['failed', 'canceled'], limit: 100 }))),
      listText: round(medianMs(() => store.listRuns({ text: 'nan', limit: 100 }))),
      listByDuration: round(medianMs(() => store.listRuns({ sort: 'duration', limit: 100 }))),
      runDetails: round(medianMs(() => store.getRunDetails((probe = (probe + 7919) % RUNS) + 1))),
      componentStatuses: round(medianMs(() => store.componentStatuses('taxi'))),
    };
    store.close();
    return figures;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) process.stdout.write(JSON.stringify(measure()) + '\n');
