import type { MetricPoint } from '../../../src/core/store/types';
import type { TrainRequest } from '../../../src/core/model/types';
import type { TaskType, TrainConfig } from '../../../src/core/pipeline/config';
import { transformRows } from '../../../src/core/transform/row';
import type { FeatureLayout, FittedTransform, LabelEncoding, RawRow, TransformedBatch, TransformedSplit } from '../../../src/core/transform/types';
import { deriveSeed, mulberry32, shuffleInPlace } from '../../../src/core/util/random';
import { tempDir } from '../../helpers/tmp';

export const PIPELINE_FILE = '/work/demo/taxi.pipeline.yaml';
const COLORS = ['red', 'green', 'blue'];
const CITIES = Array.from({ length: 30 }, (_, i) => `city_${i}`);

const LABELS: Record<TaskType, LabelEncoding> = {
  binary: { task: 'binary', column: 'y', negative: 'no', positive: 'yes', type: 'string' },
  multiclass: { task: 'multiclass', column: 'y', classes: ['a', 'b', 'c'], type: 'string' },
  regression: { task: 'regression', column: 'y', type: 'float' },
};

/**
 * A fitted transform of four raw columns: two numbers, `color` one-hot (3 values + 1 OOV id) and
 * `city` through an embedding (30 values + 2 OOV ids), and a label per task.
 */
export function syntheticTransform(task: TaskType = 'binary'): FittedTransform {
  const layout: FeatureLayout = {
    numeric: [{ name: 'x1' }, { name: 'x2' }],
    categorical: [
      { name: 'color', size: 4, encoding: 'onehot' },
      { name: 'city', size: 32, encoding: 'embedding', embeddingDim: 3 },
    ],
  };
  return {
    format: 'mlops-transform',
    version: 1,
    inputs: [
      { name: 'x1', type: 'float', required: false },
      { name: 'x2', type: 'float', required: false },
      { name: 'color', type: 'string', required: false },
      { name: 'city', type: 'string', required: false },
    ],
    features: [
      { kind: 'numeric', column: 'x1', slot: 0, fill: 0, log: false, scale: { type: 'none' } },
      { kind: 'numeric', column: 'x2', slot: 1, fill: 0, log: false, scale: { type: 'zscore', mean: 0, std: 1 } },
      { kind: 'vocabulary', column: 'color', slot: 0, vocabulary: COLORS, oovBuckets: 1 },
      { kind: 'vocabulary', column: 'city', slot: 1, vocabulary: CITIES, oovBuckets: 2 },
    ],
    label: LABELS[task],
    layout,
    fittedOn: { split: 'train', rows: 1000 },
  };
}

/**
 * Raw rows whose label is a function of the features, so a model can learn it: every tenth color
 * is missing (id -1) and a few cities are unseen (OOV ids).
 */
export function syntheticRows(count: number, seed: number, task: TaskType = 'binary'): RawRow[] {
  const random = mulberry32(seed);
  const colorEffect: Record<string, number> = { red: 1.5, green: -1, blue: 0 };
  return Array.from({ length: count }, (_, i) => {
    const x1 = random() * 4 - 2;
    const x2 = random() * 4 - 2;
    const color = i % 10 === 0 ? null : COLORS[Math.floor(random() * COLORS.length)];
    const cityIndex = Math.floor(random() * (CITIES.length + 3));
    const city = cityIndex < CITIES.length ? CITIES[cityIndex] : `new_city_${cityIndex}`;
    const score = 1.5 * x1 - x2 + (color ? colorEffect[color] : 0) + ((cityIndex % 3) - 1) * 0.8;
    const y =
      task === 'binary' ? (score > 0 ? 'yes' : 'no') : task === 'multiclass' ? (score < -1 ? 'a' : score < 1 ? 'b' : 'c') : score + (random() - 0.5) * 0.1;
    return { x1, x2, color, city, y };
  });
}

/** An in-memory TransformedSplit with the same seeded-shuffle contract as the on-disk one. */
export function memorySplit(batch: TransformedBatch, layout: FeatureLayout): TransformedSplit & { batch: TransformedBatch } {
  const n = layout.numeric.length;
  const k = layout.categorical.length;
  return {
    rows: batch.size,
    layout,
    batch,
    async *batches({ batchSize, shuffle }) {
      const order = Array.from({ length: batch.size }, (_, i) => i);
      if (shuffle) shuffleInPlace(order, mulberry32(deriveSeed(shuffle.seed, shuffle.epoch)));
      for (let at = 0; at < order.length; at += batchSize) {
        const rows = order.slice(at, at + batchSize);
        yield {
          size: rows.length,
          numeric: Float32Array.from(rows.flatMap((r) => Array.from(batch.numeric.subarray(r * n, (r + 1) * n)))),
          categorical: Int32Array.from(rows.flatMap((r) => Array.from(batch.categorical.subarray(r * k, (r + 1) * k)))),
          label: Float32Array.from(rows.map((r) => batch.label[r])),
        };
      }
    },
  };
}

/** Transformed train and eval splits of the synthetic problem. */
export function syntheticSplits(task: TaskType = 'binary', rows = { train: 300, eval: 100 }) {
  const transform = syntheticTransform(task);
  const trainRows = syntheticRows(rows.train, 1, task);
  const evalRows = syntheticRows(rows.eval, 2, task);
  return {
    transform,
    trainRows,
    evalRows,
    train: memorySplit(transformRows(transform, trainRows), transform.layout),
    validation: memorySplit(transformRows(transform, evalRows), transform.layout),
  };
}

export function trainConfig(overrides: Partial<TrainConfig> = {}): TrainConfig {
  return {
    model: { type: 'dnn', hidden: [16, 8], activation: 'relu', dropout: 0, batchNorm: false },
    optimizer: 'adam',
    learningRate: 0.02,
    batchSize: 32,
    epochs: 3,
    seed: 7,
    l2: 0,
    logEveryBatches: 0,
    backend: 'wasm',
    location: { file: PIPELINE_FILE, line: 30, column: 1 },
    ...overrides,
  };
}

export interface Recorded {
  metrics: MetricPoint[];
  lines: string[];
  backend?: string;
}

/** A TrainRequest over the synthetic splits writing into fresh folders, recording what it reports. */
export function trainRequest(
  config: TrainConfig,
  data: Pick<TrainRequest, 'transform' | 'train'> & Partial<Pick<TrainRequest, 'validation'>>,
  overrides: Partial<TrainRequest> = {},
): { request: TrainRequest; recorded: Recorded } {
  const recorded: Recorded = { metrics: [], lines: [] };
  const root = tempDir('mlops-model-');
  const request: TrainRequest = {
    config,
    transform: data.transform,
    train: data.train,
    validation: data.validation,
    checkpointDir: `${root}/checkpoints`,
    resume: false,
    outputDir: `${root}/model`,
    signal: new AbortController().signal,
    onBackend: (backend) => (recorded.backend = backend),
    onMetrics: (points) => recorded.metrics.push(...points),
    progress: () => undefined,
    log: (line) => recorded.lines.push(line),
    ...overrides,
  };
  return { request, recorded };
}

/** The epoch metrics recorded for `epoch`, by name. */
export function epochMetrics(recorded: Recorded, epoch: number): Record<string, number> {
  return Object.fromEntries(recorded.metrics.filter((m) => m.step === epoch && m.key !== 'batch_loss').map((m) => [m.key, m.value]));
}
