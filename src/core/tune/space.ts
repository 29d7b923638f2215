import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import schema from '../../../resources/pipeline.schema.json';
import type { Located, SearchDimension, TrainConfig } from '../pipeline/config';
import { closest } from '../util/closest';
import { lazy } from '../util/lazy';
import { UserError, type Problem } from '../util/problems';
import type { TrialParams } from './types';

/**
 * The train settings a search space may vary, by the path the pipeline file uses. What values each
 * accepts comes from the pipeline file's JSON Schema (the same rules as writing the setting
 * directly), so a trial can never get a value the file itself would reject.
 */
const TUNABLE_PATHS = [
  'learning_rate',
  'batch_size',
  'epochs',
  'l2',
  'optimizer',
  'model.type',
  'model.hidden',
  'model.activation',
  'model.dropout',
  'model.batch_norm',
  'model.embedding_dim',
] as const;

interface SchemaNode {
  type?: string;
  enum?: unknown[];
  properties?: Record<string, SchemaNode>;
  anyOf?: SchemaNode[];
}

interface TunableSetting {
  /** Where the value goes in TrainConfig (`model.batch_norm` → ['model', 'batchNorm']). */
  configPath: string[];
  /** What the schema says the setting holds: decides which kinds of dimension fit. */
  kind: 'number' | 'integer' | 'other';
  check: ValidateFunction;
}

const ajv = lazy(() => new Ajv({ allErrors: false, strict: false }));
const trainSchema = (schema as unknown as { properties: { train: SchemaNode } }).properties.train;

function settingSchema(path: string): SchemaNode {
  let node: SchemaNode = trainSchema;
  for (const segment of path.split('.')) {
    const holder = node.properties?.[segment] ? node : node.anyOf?.find((n) => n.properties?.[segment]);
    if (!holder) throw new Error(`the pipeline schema has no train.${path}`);
    node = holder.properties![segment];
  }
  return node;
}

const camel = (segment: string) => segment.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

const settings = lazy(
  (): ReadonlyMap<string, TunableSetting> =>
    new Map(
      TUNABLE_PATHS.map((path) => {
        const node = settingSchema(path);
        const kind = node.type === 'number' ? 'number' : node.type === 'integer' ? 'integer' : 'other';
        return [path, { configPath: path.split('.').map(camel), kind, check: ajv().compile(node) }];
      }),
    ),
);

/** Points per continuous (`uniform`, `log`) dimension in a grid: its low end, middle and high end. */
export const GRID_POINTS_PER_CONTINUOUS_DIMENSION = 3;

/**
 * Everything wrong with `train.tune`'s search space, each at the dimension the user wrote: an
 * unknown setting, a value the setting cannot take, empty or inverted ranges, log bounds that are
 * not positive. Pure, so the pipeline parser can report these with the file's other problems.
 */
export function searchSpaceProblems(train: TrainConfig): Problem[] {
  const tune = train.tune;
  if (!tune) return [];
  const problems: Problem[] = [];
  for (const [path, dimension] of Object.entries(tune.space)) {
    const error = (message: string, hint?: string) =>
      problems.push({ severity: 'error', message: `tune.space.${path}: ${message}`, location: dimension.location, hint });
    const setting = settings().get(path);
    if (!setting) {
      const guess = closest(path, settings().keys());
      error('is not a train setting that can be tuned', `${guess ? `did you mean '${guess}'? ` : ''}tunable settings: ${TUNABLE_PATHS.join(', ')}`);
      continue;
    }
    if (path === 'epochs' && tune.strategy === 'hyperband') {
      error('Hyperband gives each trial its epochs itself', 'remove epochs from the space and set tune.max_epochs instead');
      continue;
    }
    for (const message of dimensionProblems(path, setting, dimension.value)) error(message.text, message.hint);
  }
  return problems;
}

function dimensionProblems(path: string, setting: TunableSetting, d: SearchDimension): { text: string; hint?: string }[] {
  if (d.kind === 'choice') {
    if (d.values.length === 0) return [{ text: 'a choice needs at least one value' }];
    return d.values.flatMap((v) => {
      const why = rejection(setting, v);
      return why ? [{ text: `the choice ${JSON.stringify(v)} ${why}` }] : [];
    });
  }
  if (setting.kind === 'other') return [{ text: `${path} is not a number: list its values with { choice: [...] }` }];
  if (setting.kind === 'integer' && d.kind !== 'int') return [{ text: `${path} takes whole numbers: use { int: [low, high] } or { choice: [...] }` }];
  const found: { text: string; hint?: string }[] = [];
  if (!Number.isFinite(d.low) || !Number.isFinite(d.high)) return [{ text: `the bounds must be numbers, found [${d.low}, ${d.high}]` }];
  if (d.low >= d.high) found.push({ text: `the low bound ${d.low} must be below the high bound ${d.high}` });
  if (d.kind === 'log' && d.low <= 0)
    found.push({ text: `a log range needs bounds above 0, found [${d.low}, ${d.high}]`, hint: 'use { uniform: [low, high] } for a range that includes 0' });
  if (d.kind === 'int') {
    if (!Number.isInteger(d.low) || !Number.isInteger(d.high)) found.push({ text: `an int range needs whole-number bounds, found [${d.low}, ${d.high}]` });
    if (!Number.isInteger(d.step) || d.step < 1) found.push({ text: `the step must be a whole number of at least 1, found ${d.step}` });
  }
  // The shape problems above already say what is wrong with a bound; the schema would repeat it.
  if (found.length) return found;
  for (const [name, bound] of [
    ['low', d.low],
    ['high', d.high],
  ] as const) {
    const why = rejection(setting, bound);
    if (why) found.push({ text: `the ${name} bound ${bound} ${why}` });
  }
  return found;
}

/** Why the schema rejects `value` for this setting, or undefined when it accepts it. */
function rejection(setting: TunableSetting, value: unknown): string | undefined {
  if (setting.check(value)) return undefined;
  return describeError(setting.check.errors?.[0]);
}

function describeError(e: ErrorObject | undefined): string {
  if (!e) return 'is not allowed';
  if (e.keyword === 'enum') return `is not one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  const at = e.instancePath ? ` (item ${e.instancePath.slice(1)})` : '';
  return `is not allowed: it ${e.message ?? 'does not fit'}${at}`;
}

/**
 * The train settings with a trial's params set by path: a copy, with `tune` dropped (the result
 * trains one model). Params come from a space that passed searchSpaceProblems; a path or value that
 * did not is a bug in the caller, reported as a UserError at the dimension for safety.
 */
export function applyParams(train: TrainConfig, params: TrialParams): TrainConfig {
  const { tune, ...rest } = train;
  const config = structuredClone(rest) as TrainConfig;
  for (const [path, value] of Object.entries(params)) {
    const setting = settings().get(path);
    const location = tune?.space[path]?.location ?? train.location;
    if (!setting) throw UserError.at(`tune.space.${path}: is not a train setting that can be tuned`, location);
    const why = rejection(setting, value);
    if (why) throw UserError.at(`tune.space.${path}: the value ${JSON.stringify(value)} ${why}`, location);
    let holder = config as unknown as Record<string, unknown>;
    for (const key of setting.configPath.slice(0, -1)) holder = holder[key] as Record<string, unknown>;
    holder[setting.configPath[setting.configPath.length - 1]] = structuredClone(value);
  }
  return config;
}

/** Throws every search space problem at once, as one UserError. */
export function assertSearchSpace(train: TrainConfig): void {
  const problems = searchSpaceProblems(train);
  if (problems.length > 0) throw new UserError(problems);
}

export type SearchSpace = Record<string, Located<SearchDimension>>;
