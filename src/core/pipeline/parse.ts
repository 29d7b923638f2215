import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { isMap, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { ComparatorThresholds } from '../schema/types';
import type { Problem } from '../util/problems';
import type { PipelineConfig, StepConfig } from './config';
import { BUILTIN_COMPONENTS, builtinComponents, stepDependencies, type ComponentInfo, topologicalOrder } from './components';
import { DocumentPositions } from './positions';
import { schemaProblems } from './schemaCheck';
import { derivedExpressionProblems } from './expressions';
import { searchSpaceProblems } from '../tune/space';
import { evaluateProblems, normalizeEvaluate, normalizePush, sliceProblems, type RawEvaluate, type RawPush } from './analysisSections';
import { normalizeTrain, normalizeTransform, trainStepProblems, transformProblems, type RawFeatureTransform, type RawTrain } from './trainingSections';
import { monitorProblems, normalizeMonitor, type RawMonitor } from './monitorSection';
import { normalizeTriggers, triggersProblems, type RawTriggers } from './triggersSection';

export interface ParsedPipeline {
  name?: string;
  config?: PipelineConfig;
  components: ComponentInfo[];
  problems: Problem[];
}

/** What a pipeline file looks like once it passed the schema (resources/pipeline.schema.json). */
interface RawPipeline {
  pipeline: string;
  seed?: number;
  data: {
    train: string;
    eval?: string;
    split?: { eval: number; seed?: number };
    serving?: string;
    missing?: string[];
    delimiter?: string;
    columns?: string[];
    max_bad_rows?: number;
  };
  features?: { derive?: Record<string, string>; exclude?: string[] };
  label?: string;
  schema?: string;
  environments?: Record<string, { exclude: string[] }>;
  statistics?: { slices?: string[][]; categorical?: string[] };
  validate?: {
    drift?: Record<string, ComparatorThresholds>;
    skew?: Record<string, ComparatorThresholds>;
    stop_on?: 'error' | 'warning' | 'never';
  };
  transform?: Record<string, RawFeatureTransform>;
  train?: RawTrain;
  evaluate?: RawEvaluate;
  push?: RawPush;
  monitor?: RawMonitor;
  triggers?: RawTriggers;
  steps?: {
    name: string;
    run: string;
    after?: string | string[];
    cwd?: string;
    env?: Record<string, string | number | boolean>;
    inputs?: Record<string, string>;
    outputs?: Record<string, string | { format: 'onnx'; path: string; signature?: Record<string, unknown> }>;
    metrics?: string;
  }[];
}

const DEFAULT_EVAL_FRACTION = 0.2;
/** Where an inferred schema goes when the pipeline validates but names no schema file. */
export const DEFAULT_SCHEMA_FILE = 'data-schema.json';
const DEFAULT_MAX_BAD_ROWS = 0.01;

/**
 * Parses and checks a pipeline file's text (YAML, or JSON, which YAML 1.2 reads too). Pure and
 * cheap, so the editor can call it on every change; never throws for a user's mistake: everything
 * wrong comes back as problems with file:line:col.
 */
/** Alias expansions allowed per document: plenty for real files, far below a "billion laughs" attack. */
const MAX_ALIAS_COUNT = 1000;

/**
 * `*name` is a YAML alias: an unquoted glob such as `train: **\/*.csv` reads as one, naming an anchor
 * that does not exist. Reported where it stands, with the usual cause.
 */
function unresolvedAliases(doc: Document.Parsed, lines: LineCounter, file: string): Problem[] {
  const problems: Problem[] = [];
  visit(doc, {
    Alias(_, node) {
      if (node.resolve(doc) !== undefined) return;
      const start = lines.linePos(node.range?.[0] ?? 0);
      const source = `*${node.source}`;
      problems.push({
        severity: 'error',
        location: { file, line: start.line, column: start.col },
        message: `${source} starts with '*', so YAML reads it as an alias, of an anchor '&${node.source}' that the file does not set`,
        hint: /[*?/.]/.test(node.source) ? `a glob pattern must be quoted: '${source}'` : `set &${node.source} before it, or quote the text: '${source}'`,
      });
    },
  });
  return problems;
}

export function parsePipeline(text: string, file: string): ParsedPipeline {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const positions = new DocumentPositions(doc, lines, file);
  const syntax: Problem[] = [...doc.errors, ...doc.warnings].map((e) => ({
    severity: doc.errors.includes(e) ? 'error' : 'warning',
    message: e.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, ''),
    location: {
      file,
      line: e.linePos?.[0].line ?? 1,
      column: e.linePos?.[0].col ?? 1,
      endLine: e.linePos?.[1]?.line,
      endColumn: e.linePos?.[1]?.col,
    },
  }));
  if (doc.errors.length) return { components: [], problems: syntax };
  /** A problem of the whole file: nothing else can be checked past it. */
  const wholeFile = (message: string, hint: string): ParsedPipeline => ({
    components: [],
    problems: [...syntax, { severity: 'error', location: { file, line: 1, column: 1 }, message, hint }],
  });
  if (!isMap(doc.contents)) {
    return wholeFile(
      'a pipeline file must be a mapping with at least `pipeline:` and `data:`',
      'start from:\npipeline: my-pipeline\ndata:\n  train: data/train.csv',
    );
  }
  const aliasProblems = unresolvedAliases(doc, lines, file);
  if (aliasProblems.length) return { components: [], problems: [...syntax, ...aliasProblems] };
  let raw: RawPipeline;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as RawPipeline;
  } catch (error) {
    // The yaml library's guard against "billion laughs" files: aliases that expand beyond reason.
    if (!(error instanceof ReferenceError)) throw error;
    return wholeFile(`the file's YAML aliases (*name) expand to too much (${error.message})`, 'write the values out, or use fewer nested aliases');
  }
  const problems = [...syntax, ...schemaProblems(raw, positions)];
  const components = listComponents(raw, positions, problems);
  problems.push(...topologicalOrder(components).problems);
  problems.push(...semanticProblems(raw, positions));
  const name = typeof raw.pipeline === 'string' ? raw.pipeline : undefined;
  const ok = !problems.some((p) => p.severity === 'error');
  const config = ok ? normalize(raw, text, file, positions) : undefined;
  // The search space is checked against the settings it varies, so it needs the normalised train section.
  const spaceProblems = config?.train?.tune ? searchSpaceProblems(config.train) : [];
  problems.push(...spaceProblems);
  return { name, components, problems, config: spaceProblems.some((p) => p.severity === 'error') ? undefined : config };
}

function listComponents(raw: RawPipeline, positions: DocumentPositions, problems: Problem[]): ComponentInfo[] {
  const at = (key: keyof RawPipeline) => (raw[key] === undefined ? undefined : positions.locate([key], { key: true }));
  const components = builtinComponents({
    data: at('data'),
    statistics: at('statistics'),
    schema: at('schema'),
    validate: at('validate'),
    transform: at('transform'),
    train: at('train'),
    evaluate: at('evaluate'),
    push: at('push'),
    trainStep: typeof raw.train?.step === 'string' ? raw.train.step : undefined,
  });
  const steps = Array.isArray(raw.steps) ? raw.steps : [];
  const names = new Set(components.map((c) => c.name));
  steps.forEach((step, i) => {
    if (!step || typeof step.name !== 'string') return;
    const location = positions.locate(['steps', i, 'name']);
    // `train: { step: train }`: the step takes the built-in trainer's place, and its name.
    const builtin = (BUILTIN_COMPONENTS as readonly string[]).includes(step.name) && !(step.name === 'train' && raw.train?.step === 'train');
    if (builtin || names.has(step.name)) {
      const what = builtin ? `the built-in component '${step.name}'` : `another step`;
      problems.push({ severity: 'error', location, message: `step name '${step.name}' is already used by ${what}`, hint: 'give each step a unique name' });
      return;
    }
    names.add(step.name);
    components.push({ name: step.name, type: 'step', dependsOn: stepDependencies(step.name, afterList(step.after), raw.train?.step), location });
  });
  for (const [i, step] of steps.entries()) {
    afterList(step?.after).forEach((dep, j) => {
      if (names.has(dep)) return;
      const at = Array.isArray(step.after) ? ['steps', i, 'after', j] : ['steps', i, 'after'];
      problems.push({
        severity: 'error',
        location: positions.locate(at),
        message: `step '${step.name}' runs after '${dep}', which is not a component of this pipeline`,
        hint: `components: ${[...names].join(', ')}`,
      });
    });
  }
  return components;
}

function semanticProblems(raw: RawPipeline, positions: DocumentPositions): Problem[] {
  const problems: Problem[] = [];
  if (raw.data?.eval !== undefined && raw.data?.split !== undefined) {
    problems.push({
      severity: 'error',
      location: positions.locate(['data', 'split'], { key: true }),
      message: 'data has both `eval` (files) and `split` (a share of the training rows): give one',
    });
  }
  if (raw.validate?.skew && Object.keys(raw.validate.skew).length && raw.data?.serving === undefined) {
    problems.push({
      severity: 'error',
      location: positions.locate(['validate', 'skew'], { key: true }),
      message: 'validate.skew compares training with serving data, but data.serving is not set',
      hint: 'add data.serving: <serving CSV file or glob>',
    });
  }
  problems.push(...transformProblems(raw.transform, positions));
  problems.push(...evaluateProblems(raw, positions), ...sliceProblems(raw.evaluate, positions));
  problems.push(...monitorProblems(raw.monitor, positions));
  problems.push(...triggersProblems(raw.triggers, positions));
  problems.push(...trainStepProblems(raw, positions));
  if (raw.train && raw.label === undefined) {
    problems.push({
      severity: 'error',
      location: positions.locate(['train'], { key: true }),
      message: 'train needs a label: the column the model learns to predict',
      hint: 'add label: <column> (a column of the data or of features.derive)',
    });
  }
  const derive = raw.features?.derive;
  if (derive && typeof derive === 'object') {
    for (const [name, expression] of Object.entries(derive)) {
      if (typeof expression !== 'string') continue;
      problems.push(...derivedExpressionProblems(expression, positions.valueStart(['features', 'derive', name])));
    }
  }
  return problems;
}

function normalize(raw: RawPipeline, text: string, file: string, positions: DocumentPositions): PipelineConfig {
  const dir = path.dirname(file);
  const abs = (p: string) => path.resolve(dir, p);
  const seed = raw.seed ?? 0;
  const data = raw.data;
  const steps: StepConfig[] = (raw.steps ?? []).map((s, i) => ({
    name: s.name,
    run: s.run,
    after: afterList(s.after),
    cwd: abs(s.cwd ?? '.'),
    env: Object.fromEntries(Object.entries(s.env ?? {}).map(([k, v]) => [k, String(v)])),
    inputs: mapValues(s.inputs ?? {}, abs),
    outputs: mapValues(s.outputs ?? {}, (o) => abs(typeof o === 'string' ? o : o.path)),
    models: Object.fromEntries(
      Object.entries(s.outputs ?? {}).flatMap(([name, o]) => (typeof o === 'string' ? [] : [[name, { flavor: o.format, signature: o.signature }]])),
    ),
    metrics: s.metrics === undefined ? undefined : abs(s.metrics),
    location: positions.locate(['steps', i, 'name']),
  }));
  return {
    name: raw.pipeline,
    file,
    dir,
    hash: 'sha256:' + createHash('sha256').update(text).digest('hex'),
    text,
    seed,
    label: raw.label === undefined ? undefined : { value: raw.label, location: positions.locate(['label']) },
    data: {
      train: { value: abs(data.train), location: positions.locate(['data', 'train']) },
      eval:
        data.eval !== undefined
          ? { files: { value: abs(data.eval), location: positions.locate(['data', 'eval']) } }
          : { split: { fraction: data.split?.eval ?? DEFAULT_EVAL_FRACTION, seed: data.split?.seed ?? seed } },
      serving: data.serving === undefined ? undefined : { value: abs(data.serving), location: positions.locate(['data', 'serving']) },
      missing: data.missing ?? [],
      delimiter: data.delimiter ?? ',',
      columns: data.columns,
      maxBadRows: data.max_bad_rows ?? DEFAULT_MAX_BAD_ROWS,
      maxBadRowsLocation: positions.locate(data.max_bad_rows === undefined ? ['data'] : ['data', 'max_bad_rows'], { key: true }),
    },
    environments: Object.fromEntries(
      Object.entries(raw.environments ?? {}).map(([env, e]) => [
        env,
        e.exclude.map((value, i) => ({ value, location: positions.locate(['environments', env, 'exclude', i]) })),
      ]),
    ),
    statistics:
      raw.statistics || raw.schema !== undefined || raw.validate
        ? {
            slices: raw.statistics?.slices ?? [],
            categorical: raw.statistics?.categorical ?? [],
            location: positions.locate([raw.statistics ? 'statistics' : raw.schema !== undefined ? 'schema' : 'validate'], { key: true }),
          }
        : undefined,
    schema:
      raw.schema !== undefined
        ? { value: abs(raw.schema), location: positions.locate(['schema']) }
        : raw.validate
          ? { value: abs(DEFAULT_SCHEMA_FILE), location: positions.locate(['validate'], { key: true }) }
          : undefined,
    validate: raw.validate
      ? {
          drift: raw.validate.drift ?? {},
          skew: raw.validate.skew ?? {},
          stopOn: raw.validate.stop_on ?? 'error',
          location: positions.locate(['validate'], { key: true }),
        }
      : undefined,
    transform:
      raw.transform || raw.train
        ? normalizeTransform(raw.transform, positions, positions.locate([raw.transform ? 'transform' : 'train'], { key: true }))
        : undefined,
    train: raw.train && raw.train.step === undefined ? normalizeTrain(raw.train, seed, positions) : undefined,
    trainStep: raw.train?.step !== undefined ? { step: raw.train.step, task: raw.train.task, location: positions.locate(['train', 'step']) } : undefined,
    evaluate:
      raw.evaluate || raw.push
        ? normalizeEvaluate(raw.evaluate ?? {}, positions, positions.locate([raw.evaluate ? 'evaluate' : 'push'], { key: true }))
        : undefined,
    push: raw.push ? normalizePush(raw.push, raw.pipeline, dir, positions) : undefined,
    monitor: raw.monitor ? normalizeMonitor(raw.monitor, positions) : undefined,
    triggers: normalizeTriggers(raw.triggers, positions),
    features: {
      derive: Object.keys(raw.features?.derive ?? {}).map((name) => ({
        name,
        expression: { value: raw.features!.derive![name], location: positions.valueStart(['features', 'derive', name]) },
      })),
      exclude: (raw.features?.exclude ?? []).map((name, i) => ({ value: name, location: positions.locate(['features', 'exclude', i]) })),
    },
    steps,
  };
}

function afterList(after: string | string[] | undefined): string[] {
  if (after === undefined) return [];
  return (Array.isArray(after) ? after : [after]).filter((a): a is string => typeof a === 'string');
}

function mapValues<T, U>(record: Record<string, T>, f: (v: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
}
