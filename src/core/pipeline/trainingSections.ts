import type { Problem, SourceLocation } from '../util/problems';
import type { FeatureTransformSpec, ModelConfig, NumericFill, SearchDimension, TrainConfig, TransformConfig, TuneConfig, Located } from './config';
import type { DocumentPositions } from './positions';

/** What `transform:` and `train:` look like once they passed the JSON schema. */
export type RawFeatureTransform =
  | 'zscore'
  | 'minmax'
  | 'log'
  | 'raw'
  | 'bucketize'
  | 'vocabulary'
  | 'hash'
  | 'drop'
  | {
      fill?: NumericFill;
      log?: boolean;
      scale?: 'zscore' | 'minmax' | 'none';
      bucketize?: number;
      vocabulary?: true | { top_k?: number; frequency_threshold?: number; oov_buckets?: number };
      hash?: number;
      cross?: string[];
      buckets?: number;
      encoding?: 'onehot' | 'embedding';
      embedding_dim?: number;
    };

export interface RawTrain {
  /** A custom step trains the model instead of the built-in trainer. */
  step?: string;
  model?:
    | ModelConfig['type']
    | { type?: ModelConfig['type']; hidden?: number[]; activation?: ModelConfig['activation']; dropout?: number; batch_norm?: boolean; embedding_dim?: number };
  task?: TrainConfig['task'];
  optimizer?: TrainConfig['optimizer'];
  learning_rate?: number;
  batch_size?: number;
  epochs?: number;
  seed?: number;
  class_weights?: 'balanced' | Record<string, number>;
  l2?: number;
  metrics?: string[];
  early_stopping?: { monitor?: string; patience?: number; mode?: 'min' | 'max'; min_delta?: number; restore_best?: boolean };
  log_every?: number;
  backend?: TrainConfig['backend'];
  tune?: {
    strategy?: TuneConfig['strategy'];
    trials?: number;
    parallel?: number;
    objective?: string | { metric: string; direction?: 'min' | 'max' };
    max_epochs?: number;
    eta?: number;
    space: Record<string, RawDimension>;
  };
}

type RawDimension = { choice: unknown[] } | { uniform: [number, number] } | { log: [number, number] } | { int: [number, number]; step?: number };

const DEFAULT_HASH_BUCKETS = 100;
const DEFAULT_BUCKETS = 10;
const DEFAULT_EPOCHS = 10;

/** The per-feature kinds an object spec may name; more than one is a contradiction. */
const KIND_KEYS = ['bucketize', 'vocabulary', 'hash', 'cross'] as const;
const NUMERIC_KEYS = ['fill', 'log', 'scale'] as const;

/** Problems the JSON schema cannot express: contradictory keys in one feature's transform. */
export function transformProblems(raw: Record<string, RawFeatureTransform> | undefined, positions: DocumentPositions): Problem[] {
  const problems: Problem[] = [];
  for (const [name, spec] of Object.entries(raw ?? {})) {
    if (typeof spec !== 'object' || spec === null) continue;
    const kinds = KIND_KEYS.filter((k) => spec[k] !== undefined);
    if (kinds.length > 1) {
      problems.push({
        severity: 'error',
        location: positions.locate(['transform', name, kinds[1]], { key: true }),
        message: `transform of '${name}' has both \`${kinds[0]}\` and \`${kinds[1]}\`: give one`,
      });
    }
    const kind = kinds[0];
    if (kind === 'vocabulary' || kind === 'hash' || kind === 'cross') {
      for (const k of NUMERIC_KEYS) {
        if (spec[k] === undefined) continue;
        problems.push({
          severity: 'error',
          location: positions.locate(['transform', name, k], { key: true }),
          message: `\`${k}\` applies to numeric transforms; '${name}' uses \`${kind}\``,
        });
      }
    }
    if (kind === 'bucketize' && (spec.log !== undefined || spec.scale !== undefined)) {
      problems.push({
        severity: 'error',
        location: positions.locate(['transform', name, spec.log !== undefined ? 'log' : 'scale'], { key: true }),
        message: `'${name}' is bucketized: \`log\` and \`scale\` do not apply to bucket ids`,
      });
    }
    if (spec.buckets !== undefined && kind !== 'cross') {
      problems.push({
        severity: 'error',
        location: positions.locate(['transform', name, 'buckets'], { key: true }),
        message: '`buckets` sets the hash buckets of a `cross`',
        hint: kind === 'hash' ? `write hash: ${spec.buckets}` : kind === 'bucketize' ? `write bucketize: ${spec.buckets}` : undefined,
      });
    }
    if ((spec.encoding !== undefined || spec.embedding_dim !== undefined) && kind === undefined) {
      problems.push({
        severity: 'error',
        location: positions.locate(['transform', name, spec.encoding !== undefined ? 'encoding' : 'embedding_dim'], { key: true }),
        message: `'${name}' has an encoding but no ids to encode`,
        hint: 'add vocabulary, hash, bucketize or cross',
      });
    }
  }
  return problems;
}

/** `location`: the transform section, or the train section when the transform is implied by training. */
export function normalizeTransform(
  raw: Record<string, RawFeatureTransform> | undefined,
  positions: DocumentPositions,
  location: SourceLocation,
): TransformConfig {
  const features = Object.entries(raw ?? {}).map(([name, spec]): Located<FeatureTransformSpec> => ({
    value: featureSpec(name, spec),
    location: positions.locate(['transform', name], { key: true }),
  }));
  return { features, location };
}

function featureSpec(column: string, spec: RawFeatureTransform): FeatureTransformSpec {
  switch (spec) {
    case 'zscore':
    case 'minmax':
      return { kind: 'numeric', column, fill: 'mean', log: false, scale: spec };
    case 'log':
      return { kind: 'numeric', column, fill: 'mean', log: true, scale: 'zscore' };
    case 'raw':
      return { kind: 'numeric', column, fill: 'mean', log: false, scale: 'none' };
    case 'bucketize':
      return { kind: 'bucketize', column, buckets: DEFAULT_BUCKETS, fill: 'mean' };
    case 'vocabulary':
      return { kind: 'vocabulary', column, oovBuckets: 1 };
    case 'hash':
      return { kind: 'hash', column, buckets: DEFAULT_HASH_BUCKETS };
    case 'drop':
      return { kind: 'drop', column };
  }
  const encoding = { encoding: spec.encoding, embeddingDim: spec.embedding_dim };
  if (spec.cross) return { kind: 'cross', name: column, columns: spec.cross, buckets: spec.buckets ?? DEFAULT_HASH_BUCKETS, ...encoding };
  if (spec.bucketize !== undefined) return { kind: 'bucketize', column, buckets: spec.bucketize, fill: spec.fill ?? 'mean', ...encoding };
  if (spec.hash !== undefined) return { kind: 'hash', column, buckets: spec.hash, ...encoding };
  if (spec.vocabulary !== undefined) {
    const v = spec.vocabulary === true ? {} : spec.vocabulary;
    return { kind: 'vocabulary', column, topK: v.top_k, frequencyThreshold: v.frequency_threshold, oovBuckets: v.oov_buckets ?? 1, ...encoding };
  }
  return { kind: 'numeric', column, fill: spec.fill ?? 'mean', log: spec.log ?? false, scale: spec.scale ?? 'zscore' };
}

const LOWER_IS_BETTER = /(^|_)(loss|mae|mse|rmse)$/;

/** min for losses and errors, max for scores such as auc and accuracy. */
export function metricDirection(metric: string): 'min' | 'max' {
  return LOWER_IS_BETTER.test(metric) ? 'min' : 'max';
}

export function normalizeTrain(raw: RawTrain, seed: number, positions: DocumentPositions): TrainConfig {
  const model = typeof raw.model === 'string' ? { type: raw.model } : (raw.model ?? {});
  const es = raw.early_stopping;
  const monitor = es?.monitor ?? 'val_loss';
  return {
    model: {
      type: model.type ?? 'dnn',
      hidden: 'hidden' in model && model.hidden ? model.hidden : [64, 32],
      activation: ('activation' in model && model.activation) || 'relu',
      dropout: ('dropout' in model && model.dropout) || 0,
      batchNorm: ('batch_norm' in model && model.batch_norm) || false,
      embeddingDim: 'embedding_dim' in model ? model.embedding_dim : undefined,
    },
    task: raw.task,
    optimizer: raw.optimizer ?? 'adam',
    learningRate: raw.learning_rate ?? 0.001,
    batchSize: raw.batch_size ?? 256,
    epochs: raw.epochs ?? DEFAULT_EPOCHS,
    seed: raw.seed ?? seed,
    classWeights: raw.class_weights,
    l2: raw.l2 ?? 0,
    metrics: raw.metrics,
    earlyStopping: es
      ? { monitor, patience: es.patience ?? 3, mode: es.mode ?? metricDirection(monitor), minDelta: es.min_delta ?? 0, restoreBest: es.restore_best ?? true }
      : undefined,
    logEveryBatches: raw.log_every ?? 50,
    backend: raw.backend ?? 'auto',
    tune: raw.tune ? normalizeTune(raw.tune, raw.epochs ?? DEFAULT_EPOCHS, positions) : undefined,
    location: positions.locate(['train'], { key: true }),
  };
}

function normalizeTune(raw: NonNullable<RawTrain['tune']>, epochs: number, positions: DocumentPositions): TuneConfig {
  const objective = typeof raw.objective === 'string' ? { metric: raw.objective } : (raw.objective ?? { metric: 'val_loss' });
  return {
    strategy: raw.strategy ?? 'random',
    trials: raw.trials ?? 10,
    parallel: raw.parallel ?? 1,
    objective: { metric: objective.metric, direction: objective.direction ?? metricDirection(objective.metric) },
    space: Object.fromEntries(
      Object.entries(raw.space).map(([key, d]) => [key, { value: dimension(d), location: positions.locate(['train', 'tune', 'space', key], { key: true }) }]),
    ),
    maxEpochs: raw.max_epochs ?? epochs,
    eta: raw.eta ?? 3,
    location: positions.locate(['train', 'tune'], { key: true }),
  };
}

function dimension(d: RawDimension): SearchDimension {
  if ('choice' in d) return { kind: 'choice', values: d.choice };
  if ('uniform' in d) return { kind: 'uniform', low: d.uniform[0], high: d.uniform[1] };
  if ('log' in d) return { kind: 'log', low: d.log[0], high: d.log[1] };
  return { kind: 'int', low: d.int[0], high: d.int[1], step: d.step ?? 1 };
}

/** `train: { step }`: the step must be one of the pipeline's, and the built-in trainer's settings have nothing to act on. */
export function trainStepProblems(raw: { train?: RawTrain; steps?: readonly { name?: unknown }[] }, positions: DocumentPositions): Problem[] {
  const step = raw.train?.step;
  if (step === undefined) return [];
  const problems: Problem[] = [];
  const names = (Array.isArray(raw.steps) ? raw.steps : []).map((s) => s?.name).filter((n): n is string => typeof n === 'string');
  if (!names.includes(step)) {
    problems.push({
      severity: 'error',
      location: positions.locate(['train', 'step']),
      message: `train.step names '${step}', which is not a step of this pipeline`,
      hint: names.length ? `its steps: ${names.join(', ')}` : 'add it under steps: with name and run',
    });
  }
  for (const key of Object.keys(raw.train!)) {
    if (key === 'step' || key === 'task') continue;
    problems.push({
      severity: 'error',
      location: positions.locate(['train', key], { key: true }),
      message: `train.${key} is a setting of the built-in trainer, but the step '${step}' trains this pipeline's model`,
      hint: "remove it, or give it to the step (its env, or the script's own settings)",
    });
  }
  return problems;
}
