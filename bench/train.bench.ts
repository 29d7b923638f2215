/**
 * Training throughput and memory. A taxi-like feature layout (7 z-scored numbers, hour/day/month/
 * payment one-hot, company and community areas through embeddings, a hashed census tract) with a
 * learnable binary label, written synthetically in the transformed-examples format, then:
 * - examples/s of one epoch of a DNN (64, 32) per tfjs backend (cpu, wasm, and tensorflow when
 *   tfjs-node loads), each backend in its own child process;
 * - peak RSS of one epoch streaming 500,000 rows and 5,000,000 rows (wasm), each in its own child
 *   process, so a flat ratio shows the trainer streams rather than loads the data.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FeatureLayout, FittedTransform } from '../src/core/transform/types';
import { TransformedSplitWriter } from '../src/core/transform/dataset';
import { writeTransformGraph } from '../src/core/transform/graph';
import { mulberry32 } from '../src/core/util/random';
import { round } from './measure';
import type { BenchResult } from './types';

const MODEL_MODULE = path.resolve(__dirname, '../src/core/model');
const DATASET_MODULE = path.resolve(__dirname, '../src/core/transform/dataset');
const GRAPH_MODULE = path.resolve(__dirname, '../src/core/transform/graph');
const WRITE_CHUNK = 65_536;

const LAYOUT: FeatureLayout = {
  numeric: ['fare', 'trip_miles', 'trip_seconds', 'pickup_latitude', 'pickup_longitude', 'dropoff_latitude', 'dropoff_longitude'].map((name) => ({ name })),
  categorical: [
    { name: 'trip_start_hour', size: 24, encoding: 'onehot' },
    { name: 'trip_start_day', size: 7, encoding: 'onehot' },
    { name: 'trip_start_month', size: 12, encoding: 'onehot' },
    { name: 'payment_type', size: 7, encoding: 'onehot' },
    { name: 'company', size: 101, encoding: 'embedding', embeddingDim: 8 },
    { name: 'pickup_community_area', size: 78, encoding: 'embedding', embeddingDim: 8 },
    { name: 'dropoff_community_area', size: 78, encoding: 'embedding', embeddingDim: 8 },
    { name: 'pickup_census_tract', size: 1000, encoding: 'embedding', embeddingDim: 10 },
  ],
};

/** The transform graph the trainer packages with the model: only its layout and label matter here. */
const TRANSFORM: FittedTransform = {
  format: 'mlops-transform',
  version: 1,
  inputs: [],
  features: [],
  label: { task: 'binary', column: 'big_tipper', negative: 'false', positive: 'true', type: 'bool' },
  layout: LAYOUT,
  fittedOn: { split: 'train', rows: 0 },
};

/** Writes `rows` synthetic transformed rows; the label depends on a few features so loss falls. */
function writeSplit(dir: string, split: string, rows: number, seed: number): void {
  const random = mulberry32(seed);
  const n = LAYOUT.numeric.length;
  const k = LAYOUT.categorical.length;
  const writer = new TransformedSplitWriter(dir, split, LAYOUT);
  for (let done = 0; done < rows; done += WRITE_CHUNK) {
    const size = Math.min(WRITE_CHUNK, rows - done);
    const numeric = new Float32Array(size * n);
    const categorical = new Int32Array(size * k);
    const label = new Float32Array(size);
    for (let r = 0; r < size; r++) {
      for (let j = 0; j < n; j++) numeric[r * n + j] = (random() + random() + random() - 1.5) * 2;
      for (let j = 0; j < k; j++) categorical[r * k + j] = random() < 0.02 ? -1 : Math.floor(random() * LAYOUT.categorical[j].size);
      const cash = categorical[r * k + 3] === 0;
      label[r] = numeric[r * n] - 0.5 * numeric[r * n + 1] + (cash ? -2 : 0.5) + (categorical[r * k] > 16 ? 0.5 : 0) > 0 ? 1 : 0;
    }
    writer.write({ size, numeric, categorical, label });
  }
  writer.finish();
}

interface ChildFigures {
  backend: string;
  examplesPerSecond: number;
  seconds: number;
  maxRssMb: number;
  valAuc: number;
}

/** Trains one epoch in a fresh Node and prints its figures as the last line. */
async function child(dataDir: string, backend: string, outDir: string): Promise<ChildFigures> {
  const config = {
    model: { type: 'dnn', hidden: [64, 32], activation: 'relu', dropout: 0, batchNorm: false },
    optimizer: 'adam',
    learningRate: 0.001,
    batchSize: 512,
    epochs: 1,
    seed: 7,
    l2: 0,
    logEveryBatches: 0,
    backend,
    location: { file: path.join(dataDir, 'bench.pipeline.yaml') },
  };
  const code = `
const { performance } = require('perf_hooks');
const { trainModel } = require(${JSON.stringify(MODEL_MODULE)});
const { openTransformedSplit } = require(${JSON.stringify(DATASET_MODULE)});
const { loadTransformGraph } = require(${JSON.stringify(GRAPH_MODULE)});
(async () => {
  const dir = ${JSON.stringify(dataDir)};
  const out = ${JSON.stringify(outDir)};
  const start = performance.now();
  const result = await trainModel({
    config: ${JSON.stringify(config)},
    transform: await loadTransformGraph(dir),
    train: await openTransformedSplit(dir, 'train'),
    validation: await openTransformedSplit(dir, 'eval'),
    checkpointDir: out + '/checkpoints', resume: false, outputDir: out + '/model',
    signal: new AbortController().signal,
    onBackend() {}, onMetrics() {}, progress() {}, log() {},
  });
  console.log(JSON.stringify({
    backend: result.backend,
    examplesPerSecond: result.examplesPerSecond,
    seconds: (performance.now() - start) / 1000,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    valAuc: result.metrics.val_auc,
  }));
})().catch((e) => { console.error(e); process.exit(1); });`;
  const proc = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const [status] = (await once(proc, 'exit')) as [number | null];
  if (status !== 0) throw new Error(`bench child (${backend}) exited ${status}: ${out}`);
  return JSON.parse(out.trim().split('\n').pop()!) as ChildFigures;
}

/** A folder with the transform graph, `rows` training rows and a 20,000-row eval split. */
async function dataset(root: string, label: string, rows: number): Promise<string> {
  const dir = path.join(root, label);
  mkdirSync(dir);
  await writeTransformGraph(dir, TRANSFORM);
  writeSplit(dir, 'train', rows, 1);
  writeSplit(dir, 'eval', 20_000, 2);
  return dir;
}

function tfjsNodeLoads(): boolean {
  try {
    require('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

export async function run(): Promise<BenchResult> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'mlops-bench-train-'));
  const figures: BenchResult['figures'] = {};
  try {
    const throughputData = await dataset(root, 'throughput', 100_000);
    const backends = ['cpu', 'wasm', ...(tfjsNodeLoads() ? ['node'] : [])];
    for (const backend of backends) {
      const f = await child(throughputData, backend, path.join(root, `out-${backend}`));
      figures[`${f.backend} examples/s (DNN 64-32, batch 512)`] = round(f.examplesPerSecond);
      figures[`${f.backend} val_auc after 1 epoch`] = round(f.valAuc);
    }
    rmSync(throughputData, { recursive: true, force: true });

    const rss: Record<string, ChildFigures> = {};
    for (const [label, rows] of [
      ['500k', 500_000],
      ['5M', 5_000_000],
    ] as const) {
      const dir = await dataset(root, label, rows);
      figures[`${label} rows: train file MB`] = round(statSync(path.join(dir, 'train.bin')).size / 1e6);
      rss[label] = await child(dir, 'wasm', path.join(root, `out-${label}`));
      figures[`${label} rows: peak RSS MB (wasm)`] = round(rss[label].maxRssMb);
      figures[`${label} rows: child s (1 epoch + validation + package)`] = round(rss[label].seconds);
      rmSync(dir, { recursive: true, force: true });
    }
    figures['peak RSS 5M / 500k (≈1: flat)'] = round(rss['5M'].maxRssMb / rss['500k'].maxRssMb);
    figures.cores = os.availableParallelism();
    return {
      name: 'train (taxi-like DNN, transformed examples streamed from disk)',
      figures,
      notes: [
        'one epoch per child process; examples/s counts training batches (reading, shuffling, forward, backward, update), not validation',
        'wasm runs single-threaded (deterministic); tensorflow appears only when @tensorflow/tfjs-node loads',
        'peak RSS is process.resourceUsage().maxRSS of the training child, validation on 20,000 rows included',
      ],
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
