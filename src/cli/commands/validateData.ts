/**
 * `mlops validate <csv|stats.json> --schema FILE`: data against a data schema (TFDV's anomalies),
 * with drift against a previous span and skew against serving data.
 *
 * `--json` prints exactly this shape (keys in this order, arrays in report order):
 *
 *   {
 *     "anomalies": [{ "feature": string | null, "type": AnomalyType, "severity": "error" | "warning",
 *                     "short_description": string, "description": string }],
 *     "drift": [{ "feature": string, "method": "linf" | "jsd" | "psi" | "wasserstein" | "ks" | "chi2",
 *                 "value": number, "p_value"?: number, "threshold": number, "fired": boolean, "at"?: string }],
 *     "skew":  [ same as drift ]
 *   }
 *
 * `feature` is null for dataset-level anomalies; `p_value` only for ks and chi2 (they fire when
 * p_value <= threshold; distances when value > threshold); `at` only for linf.
 *
 * Exit codes: 0 nothing found, 1 an error-severity anomaly or a fired comparator, 2 bad input.
 * The name clashes with `mlops validate <pipeline file>`: main routes `*.pipeline.{yaml,yml,json}`
 * to the pipeline check and everything else here.
 */
import * as path from 'node:path';
import type { ComparatorThresholds, DataSchema } from '../../core/schema/types';
import { loadSchema } from '../../core/schema';
import { computeCsvStatistics, readStatistics } from '../../core/stats';
import type { DatasetStatistics } from '../../core/stats/types';
import { closest } from '../../core/util/closest';
import { UserError } from '../../core/util/problems';
import { DEFAULT_THRESHOLDS, METHODS, validateStatistics } from '../../core/validate';
import type { Anomaly, ComparatorMethod, ComparatorResult } from '../../core/validate/types';
import { defineCommand, flag, option, repeatable } from '../args';
import { style, table } from '../style';

export const validateDataCommand = defineCommand({
  name: 'validate',
  summary:
    'Check data (CSV or statistics JSON) against a data schema: TFDV anomalies, drift vs --previous, skew vs --serving. (A *.pipeline.yaml|yml|json argument checks the pipeline file instead.)',
  arguments: [{ name: 'data', description: 'CSV file or glob, or a statistics JSON file (stats.json, or stats.json#DATASET to pick one)' }],
  options: [
    option('schema', 'FILE', 'the data schema (required), e.g. data-schema.json'),
    option('previous', 'CSV|STATS', 'the previous span, for drift and the example-count change'),
    option('serving', 'CSV|STATS', 'serving data, for training-serving skew (the data argument is the training side)'),
    option('environment', 'NAME', "the data's environment, e.g. serving: features not_in_environment are not expected"),
    repeatable('drift', 'FEATURE=METHOD[:T]', `drift comparator (${[...METHODS, 'auto'].join(', ')}); replaces the schema's for that feature; repeatable`),
    repeatable('skew', 'FEATURE=METHOD[:T]', 'skew comparator, same form as --drift; repeatable'),
    flag('json', 'print { anomalies, drift, skew } as JSON (shape documented in the source)'),
  ],
  examples: [
    'mlops validate data/eval.csv --schema data-schema.json',
    'mlops validate data/serving.csv --schema data-schema.json --environment serving',
    'mlops validate data/train-2.csv --schema data-schema.json --previous data/train-1.csv --drift company=linf:0.01 --drift fare=auto',
  ],
  async run({ positionals, options }) {
    const schemaFile = options.schema;
    if (!schemaFile)
      throw UserError.at(
        'mlops validate: --schema FILE is required to check data',
        undefined,
        'infer one with `mlops schema infer <csv> --out data-schema.json`',
      );
    const schema = await loadSchema(path.resolve(schemaFile));
    const drift = parseComparatorFlags('drift', options.drift ?? [], schema);
    const skew = parseComparatorFlags('skew', options.skew ?? [], schema);
    const categorical = Object.entries(schema.features)
      .filter(([, f]) => f.type === 'int' && f.categorical)
      .map(([name]) => name);
    const load = (input: string) => loadDataset(input, categorical);
    const stats = await load(positionals.data);
    const previous = options.previous ? await load(options.previous) : undefined;
    const serving = options.serving ? await load(options.serving) : undefined;
    const report = validateStatistics({
      stats,
      schema,
      environment: options.environment ?? '',
      previous,
      serving,
      thresholds: { drift, skew },
    });
    if (options.json) process.stdout.write(JSON.stringify(toJson(report), null, 2) + '\n');
    else process.stdout.write(render(report) + '\n');
    const failed = report.anomalies.some((a) => a.severity === 'error') || [...report.drift, ...report.skew].some((c) => c.fired);
    return failed ? 1 : 0;
  },
});

/**
 * `FEATURE=METHOD[:THRESHOLD]` flags into per-feature thresholds. A method without a threshold
 * gets Evidently's default; `auto` takes none; L-infinity has no default (TFDV sets none).
 */
export function parseComparatorFlags(kind: 'drift' | 'skew', flags: readonly string[], schema?: DataSchema): Record<string, ComparatorThresholds> {
  const out: Record<string, ComparatorThresholds> = {};
  const methods = [...METHODS, 'auto'];
  for (const flag of flags) {
    const bad = (message: string, hint?: string) =>
      UserError.at(
        `--${kind} ${flag}: ${message}`,
        undefined,
        hint ?? `use FEATURE=METHOD[:THRESHOLD], METHOD one of ${methods.join(', ')}, e.g. --${kind} fare=psi:0.25`,
      );
    const m = /^([^=]+)=([^:]*)(?::(.*))?$/.exec(flag);
    if (!m) throw bad('expected FEATURE=METHOD[:THRESHOLD]');
    const [, feature, method, thresholdText] = m;
    if (!methods.includes(method)) {
      const guess = closest(method, methods);
      throw bad(`unknown method '${method}'`, `${guess ? `did you mean '${guess}'? ` : ''}methods: ${methods.join(', ')}`);
    }
    const f = schema?.features[feature];
    if (schema && !f) {
      const guess = closest(feature, Object.keys(schema.features));
      throw bad(`the schema has no feature '${feature}'`, guess ? `did you mean '${guess}'?` : `features: ${Object.keys(schema.features).join(', ')}`);
    }
    const entry = (out[feature] ??= {});
    if (method === 'auto') {
      if (thresholdText !== undefined)
        throw bad(
          'auto picks its own thresholds (Evidently’s defaults)',
          `drop ':${thresholdText}', or name a method: --${kind} ${feature}=ks:${thresholdText}`,
        );
      entry.auto = true;
      continue;
    }
    const name = method as ComparatorMethod;
    const categorical = f ? f.type === 'string' || f.type === 'bool' || f.categorical === true : undefined;
    if (categorical === false && (name === 'linf' || name === 'chi2'))
      throw bad(
        `${name} compares categories and '${feature}' is ${f!.type}`,
        'use jsd, psi, wasserstein or ks for numeric features (or mark an int feature categorical in the schema)',
      );
    if (categorical === true && (name === 'ks' || name === 'wasserstein') && f!.type === 'string')
      throw bad(`${name} compares numbers and '${feature}' is a string`, 'use linf, jsd, psi or chi2 for categorical features');
    let threshold: number;
    if (thresholdText === undefined || thresholdText === '') {
      if (name === 'linf') throw bad('linf needs a threshold: TFDV sets none by default', `e.g. --${kind} ${feature}=linf:0.01`);
      threshold = DEFAULT_THRESHOLDS[name];
    } else {
      threshold = Number(thresholdText);
      if (!/^\s*[0-9.eE+-]+\s*$/.test(thresholdText) || !Number.isFinite(threshold) || threshold < 0)
        throw bad(`threshold '${thresholdText}' is not a non-negative number`);
      if ((name === 'ks' || name === 'chi2') && !(threshold > 0 && threshold <= 1))
        throw bad(`${name} fires on p-values: the threshold must be in (0, 1], e.g. 0.05`);
      if (name === 'jsd' && threshold > 1) throw bad('the Jensen-Shannon divergence (log base 2) is at most 1');
    }
    entry[name] = threshold;
  }
  return out;
}

/** A CSV (statistics computed now) or a statistics file: `stats.json`, or `stats.json#DATASET`. */
async function loadDataset(input: string, categorical: string[]): Promise<DatasetStatistics> {
  const [file, wanted] =
    input.includes('#') && /\.json#/.test(input) ? [input.slice(0, input.lastIndexOf('#')), input.slice(input.lastIndexOf('#') + 1)] : [input, undefined];
  if (file.endsWith('.json')) {
    const stats = await readStatistics(path.resolve(file));
    const names = stats.datasets.map((d) => d.name);
    const pick =
      wanted !== undefined
        ? stats.datasets.find((d) => d.name === wanted)
        : (stats.datasets.find((d) => d.span === undefined && d.slice === undefined) ?? stats.datasets[0]);
    if (!pick) {
      const guess = wanted === undefined ? undefined : closest(wanted, names);
      throw UserError.at(
        wanted === undefined ? 'the statistics file has no datasets' : `the statistics file has no dataset '${wanted}'`,
        { file: path.resolve(file) },
        `${guess ? `did you mean '${guess}'? ` : ''}datasets: ${names.join(', ')}`,
      );
    }
    return pick;
  }
  const split =
    path
      .basename(file)
      .replace(/\.[^.]*$/, '')
      .replace(/[*?[\]{}]/g, '') || 'data';
  const stats = await computeCsvStatistics(file, { split, categorical });
  return stats.datasets[0];
}

function toJson(report: { anomalies: Anomaly[]; drift: ComparatorResult[]; skew: ComparatorResult[] }) {
  const comparison = (c: ComparatorResult) => ({
    feature: c.feature,
    method: c.method,
    value: c.value,
    ...(c.pValue !== undefined ? { p_value: c.pValue } : {}),
    threshold: c.threshold ?? null,
    fired: c.fired,
    ...(c.at !== undefined ? { at: c.at } : {}),
  });
  return {
    anomalies: report.anomalies.map((a) => ({
      feature: a.feature,
      type: a.type,
      severity: a.severity,
      short_description: a.shortDescription,
      description: a.description,
    })),
    drift: report.drift.map(comparison),
    skew: report.skew.map(comparison),
  };
}

function num(x: number | undefined): string {
  if (x === undefined) return '';
  return Math.abs(x) >= 1e-3 || x === 0 ? String(Number(x.toPrecision(4))) : x.toExponential(2);
}

function render(report: { anomalies: Anomaly[]; drift: ComparatorResult[]; skew: ComparatorResult[] }): string {
  const lines: string[] = [];
  if (report.anomalies.length === 0) lines.push(style.green('✓ no anomalies'));
  else {
    lines.push(style.bold(`Anomalies (${report.anomalies.length})`));
    lines.push(
      table(
        ['FEATURE', 'TYPE', 'SEVERITY', 'DESCRIPTION'],
        report.anomalies.map((a) => [
          a.feature ?? '(dataset)',
          a.type,
          a.severity === 'error' ? style.red(a.severity) : style.yellow(a.severity),
          `${a.shortDescription}: ${a.description}`,
        ]),
      ),
    );
  }
  for (const [title, results] of [
    ['Drift', report.drift],
    ['Skew', report.skew],
  ] as const) {
    if (results.length === 0) continue;
    lines.push('', style.bold(`${title} (${results[0].current} vs ${results[0].reference})`));
    lines.push(
      table(
        ['FEATURE', 'METHOD', 'VALUE', 'P-VALUE', 'THRESHOLD', 'FIRED', 'AT'],
        results.map((c) => [
          c.feature,
          c.method + (c.auto ? ' (auto)' : ''),
          num(c.value),
          num(c.pValue),
          num(c.threshold),
          c.fired ? style.red('yes') : 'no',
          c.at ?? '',
        ]),
      ),
    );
  }
  return lines.join('\n');
}
