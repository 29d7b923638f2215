import * as path from 'node:path';
import type { PipelineConfig, TrainConfig } from '../pipeline/config';

/**
 * The pipeline's settings as flat `key: value` parameters, recorded with every run so runs can be
 * compared and reproduced. Paths inside the pipeline's folder are relative to it so they compare across machines.
 */
export function pipelineParams(config: PipelineConfig): Record<string, string> {
  const rel = (p: string) => {
    const relative = path.relative(config.dir, p);
    return relative.startsWith('..') ? p : relative.split(path.sep).join('/') || '.';
  };
  const params: Record<string, string> = {
    seed: String(config.seed),
    'data.train': rel(config.data.train.value),
    'data.missing': JSON.stringify(config.data.missing),
    'data.delimiter': config.data.delimiter,
    'data.max_bad_rows': String(config.data.maxBadRows),
  };
  const evalData = config.data.eval;
  if ('files' in evalData) params['data.eval'] = rel(evalData.files.value);
  else {
    params['data.split.eval'] = String(evalData.split.fraction);
    params['data.split.seed'] = String(evalData.split.seed);
  }
  if (config.data.serving) params['data.serving'] = rel(config.data.serving.value);
  if (config.data.columns) params['data.columns'] = JSON.stringify(config.data.columns);
  if (config.label) params.label = config.label.value;
  for (const d of config.features.derive) params[`features.derive.${d.name}`] = d.expression.value;
  if (config.features.exclude.length) params['features.exclude'] = JSON.stringify(config.features.exclude.map((e) => e.value));
  for (const [env, excluded] of Object.entries(config.environments)) params[`environments.${env}.exclude`] = JSON.stringify(excluded.map((e) => e.value));
  if (config.statistics?.slices.length) params['statistics.slices'] = JSON.stringify(config.statistics.slices);
  if (config.statistics?.categorical.length) params['statistics.categorical'] = JSON.stringify(config.statistics.categorical);
  if (config.schema) params.schema = rel(config.schema.value);
  if (config.validate) {
    params['validate.stop_on'] = config.validate.stopOn;
    for (const kind of ['drift', 'skew'] as const) {
      for (const [feature, thresholds] of Object.entries(config.validate[kind])) putFlat(params, `validate.${kind}.${feature}`, thresholds);
    }
  }
  for (const { value } of config.transform?.features ?? []) {
    // The entry's key already names its column: the rest are its settings, one parameter each.
    const { column: _column, name: _name, ...settings } = value as typeof value & { column?: string; name?: string };
    putFlat(params, `transform.${'column' in value ? value.column : value.name}`, settings);
  }
  if (config.train) Object.assign(params, trainParams(config.train));
  for (const s of config.steps) params[`steps.${s.name}.run`] = s.run;
  return params;
}

/** Train settings as `train.*` params: what run comparison lines up side by side. */
export function trainParams(train: TrainConfig, prefix = 'train.'): Record<string, string> {
  const { model, earlyStopping, tune, location: _location, classWeights, metrics, task, ...scalars } = train;
  const params: Record<string, string> = {};
  const put = (key: string, value: unknown) => putFlat(params, prefix + key, value);
  put('model.type', model.type);
  if (model.type !== 'linear') {
    put('model.hidden', model.hidden);
    put('model.activation', model.activation);
    put('model.dropout', model.dropout);
    put('model.batch_norm', model.batchNorm);
  }
  put('model.embedding_dim', model.embeddingDim);
  put('task', task);
  for (const [key, value] of Object.entries(scalars)) put(snake(key), value);
  put('class_weights', classWeights);
  put('metrics', metrics);
  if (earlyStopping) put('early_stopping', earlyStopping);
  if (tune) {
    put('tune.strategy', tune.strategy);
    put('tune.objective', `${tune.objective.metric} (${tune.objective.direction})`);
    put('tune.space', Object.fromEntries(Object.entries(tune.space).map(([k, d]) => [k, d.value])));
  }
  return params;
}

/**
 * One parameter per setting, in the pipeline file's words: an object's fields become keys of their
 * own (`train.early_stopping.patience: 2`, not a JSON object), so runs compare setting by setting;
 * lists stay whole, as written (`[32,16]`).
 */
function putFlat(params: Record<string, string>, key: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [field, inner] of Object.entries(value)) putFlat(params, `${key}.${snake(field)}`, inner);
    return;
  }
  params[key] = typeof value === 'string' ? value : JSON.stringify(value);
}

function snake(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
}
