/**
 * Tracking from a step's own Python code: points/s of `mlops.log_metric` for 1,000,000 points, from
 * the step's start until the last point is in the run store (the `fit` execution's time in the
 * store), next to the same Python inserting the same points into SQLite itself (the store's metrics
 * table and its index by run, key and step, which the panels read curves by; one INSERT per point, a
 * commit every 5,000, WAL), measured in the same run. MLflow is not installable here: published
 * figures are quoted in the notes with their source.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunDetails } from '../src/core/store/types';
import { round } from './measure';
import type { BenchResult } from './types';
import { pythonWith } from '../test/helpers/python';

const CLI = path.resolve(__dirname, '../..', 'dist/cli.js');
const POINTS = Number(process.env.BENCH_TRACKING_POINTS ?? 1_000_000);

const TRACKED = `
import time, mlops
started = time.perf_counter()
for i in range(${POINTS}):
    mlops.log_metric("loss", 1.0 / (i + 1), step=i)
print(f"loop seconds: {time.perf_counter() - started}")
`;

/** The same loop without logging: what the step costs by itself. */
const UNTRACKED = `
import time
started = time.perf_counter()
for i in range(${POINTS}):
    1.0 / (i + 1)
print(time.perf_counter() - started)
`;

/**
 * A real training loop: a 13-32-16-1 MLP (the python-sklearn-style example's) on 10,000 rows,
 * batches of 256, timed with and without logging every batch's loss, both as pipeline steps.
 */
const TORCH_BATCHES = Number(process.env.BENCH_TRACKING_TORCH_BATCHES ?? 10_000);
/** Each variant runs this many times, alternating; the fastest of each counts (the machine's noise is larger than the effect). */
const TORCH_ROUNDS = 3;
const TORCH_LOOP = `
import os, time, torch, mlops
torch.manual_seed(7)
x, y = torch.randn(10000, 13), (torch.rand(10000, 1) > 0.5).float()
model = torch.nn.Sequential(torch.nn.Linear(13, 32), torch.nn.ReLU(), torch.nn.Linear(32, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1), torch.nn.Sigmoid())
optimizer, loss_fn, log = torch.optim.Adam(model.parameters(), lr=0.01), torch.nn.BCELoss(), os.environ.get("LOG") == "1"
started = time.perf_counter()
for i in range(${TORCH_BATCHES}):
    at = (i * 256) % 9744
    optimizer.zero_grad()
    loss = loss_fn(model(x[at:at + 256]), y[at:at + 256])
    loss.backward()
    optimizer.step()
    if log:
        mlops.log_metric("batch_loss", loss, step=i)
print(f"loop seconds: {time.perf_counter() - started}")
`;

const RAW = `
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA journal_mode=WAL")
db.execute("CREATE TABLE metrics (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, execution_id INTEGER, key TEXT NOT NULL, step INTEGER NOT NULL, value REAL, timestamp INTEGER NOT NULL)")
db.execute("CREATE INDEX metrics_by_key ON metrics(run_id, key, step)")
started = time.perf_counter()
for i in range(${POINTS}):
    db.execute("INSERT INTO metrics (run_id, execution_id, key, step, value, timestamp) VALUES (?, ?, ?, ?, ?, ?)", (1, 2, "loss", i, 1.0 / (i + 1), int(time.time() * 1000)))
    if i % 5000 == 4999:
        db.commit()
db.commit()
print(time.perf_counter() - started)
`;

export async function run(): Promise<BenchResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mlops-bench-tracking-'));
  try {
    mkdirSync(path.join(dir, 'data'));
    writeFileSync(path.join(dir, 'data', 'train.csv'), 'a,b\n1,2\n3,4\n');
    writeFileSync(path.join(dir, 'fit.py'), TRACKED);
    writeFileSync(path.join(dir, 'raw.py'), RAW);
    writeFileSync(
      path.join(dir, 'p.pipeline.yaml'),
      'pipeline: bench\ndata:\n  train: data/train.csv\nsteps:\n  - { name: fit, run: python3 fit.py, after: ingest }\n',
    );
    const out = execFileSync(process.execPath, [CLI, 'run', 'p.pipeline.yaml'], { cwd: dir, encoding: 'utf8' });
    const loopSeconds = Number(/loop seconds: ([\d.e-]+)/.exec(out)?.[1]);
    writeFileSync(path.join(dir, 'untracked.py'), UNTRACKED);
    const bareSeconds = Number(execFileSync('python3', [path.join(dir, 'untracked.py')], { encoding: 'utf8' }));
    const details = JSON.parse(execFileSync(process.execPath, [CLI, 'runs', 'show', '1', '--json'], { cwd: dir, encoding: 'utf8' })) as RunDetails;
    const fit = details.executions.find((e) => e.component === 'fit');
    const stored = details.metrics.find((m) => m.key === 'loss')?.points;
    if (!fit?.startedAt || !fit.endedAt || stored !== POINTS) throw new Error(`the step stored ${stored} of ${POINTS} points`);
    const trackedRate = POINTS / ((fit.endedAt - fit.startedAt) / 1000);
    const training = torchTraining(dir);
    const rawRate = POINTS / Number(execFileSync('python3', [path.join(dir, 'raw.py'), path.join(dir, 'raw.sqlite')], { encoding: 'utf8' }));
    return {
      name: 'tracking',
      figures: {
        points: POINTS,
        'mlops.log_metric, step start to stored, points/s': Math.round(trackedRate),
        'same Python, raw SQLite INSERTs, points/s': Math.round(rawRate),
        'ratio (target ≥ 0.5)': round(trackedRate / rawRate),
        'cost in the step per logged point, µs': round(((loopSeconds - bareSeconds) / POINTS) * 1e6),
        ...training,
      },
      notes: [
        'the step time includes starting Python and the runner writing the last batch; the raw inserts time only the loop',
        "cost per point: the step's loop with log_metric against the same loop without it; a step slows by under 10% while its own work per logged point is ten times that",
        `PyTorch step: ${TORCH_BATCHES.toLocaleString('en-US')} training batches of an MLP, logging every batch's loss (a point per batch: 1,000,000 points would be 1,000,000 batches) against the same step logging nothing`,
        'MLflow is not installable here; published figures (other stores, not its local file store): 1,000 points by log_metric to a tracking server took 90 s, by log_batch 4 s (github.com/mlflow/mlflow/issues/5269); log_batch of 1,000 metrics into a MySQL SQLAlchemy store about 9 s (github.com/mlflow/mlflow/issues/3010)',
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The PyTorch loop as a pipeline step, logging every batch and logging nothing: how much slower logging makes it. */
function torchTraining(dir: string): BenchResult['figures'] {
  const { python, skip } = pythonWith(['torch']);
  if (!python) return { 'PyTorch step': `skipped: ${skip}` };
  writeFileSync(path.join(dir, 'torch_loop.py'), TORCH_LOOP);
  const seconds = (log: boolean) => {
    const file = `torch-${log ? 'logged' : 'quiet'}.pipeline.yaml`;
    writeFileSync(
      path.join(dir, file),
      `pipeline: torch-${log ? 'logged' : 'quiet'}\ndata:\n  train: data/train.csv\nsteps:\n  - { name: fit, run: ${python} torch_loop.py, after: ingest, env: { LOG: "${log ? 1 : 0}" } }\n`,
    );
    const out = execFileSync(process.execPath, [CLI, 'run', file], { cwd: dir, encoding: 'utf8' });
    return Number(/loop seconds: ([\d.e-]+)/.exec(out)?.[1]);
  };
  let quiet = Infinity;
  let logged = Infinity;
  for (let attempt = 0; attempt < TORCH_ROUNDS; attempt++) {
    quiet = Math.min(quiet, seconds(false));
    logged = Math.min(logged, seconds(true));
  }
  return {
    'PyTorch step, batches': TORCH_BATCHES,
    'PyTorch step without logging, s (fastest of 3)': round(quiet),
    'PyTorch step logging every batch, s (fastest of 3)': round(logged),
    'PyTorch step slowdown (target ≤ 10%)': `${round(((logged - quiet) / quiet) * 100)}%`,
  };
}
