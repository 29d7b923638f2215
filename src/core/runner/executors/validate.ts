import * as path from 'node:path';
import type { Located, ValidateConfig } from '../../pipeline/config';
import { closest } from '../../util/closest';
import { UserError, type SourceLocation } from '../../util/problems';
import { loadSchema } from '../../schema';
import type { DataSchema } from '../../schema/types';
import { readStatistics } from '../../stats';
import type { DatasetStatistics, StatisticsFile } from '../../stats/types';
import type { MetricPoint } from '../../store/types';
import { validateStatistics, writeValidationReport } from '../../validate';
import type { Anomaly, ComparatorResult, ValidationReport } from '../../validate/types';
import type { Executor } from '../executor';
import { STATISTICS_FILE } from './statistics';
import { upstreamArtifact } from './upstream';

export const ANOMALIES_FILE = 'anomalies.json';

/** Serving data lacks what only training has (the label): TFDV's environments. */
const environmentOf = (split: string) => (split === 'serving' ? 'serving' : 'training');

/**
 * Each split against the schema, each training span against the previous one (drift), training
 * against serving (skew). Every compared feature's value is reported, fired or not; anomalies at
 * or above `stop_on` stop the run before anything trains on the data.
 */
export function validateExecutor(config: ValidateConfig, environments: Record<string, Located<string>[]>): Executor {
  return {
    async fingerprint() {
      return { drift: config.drift, skew: config.skew, stopOn: config.stopOn };
    },

    async run(ctx) {
      const stats = await readStatistics(path.join(upstreamArtifact(ctx, 'statistics', 'statistics').uri, STATISTICS_FILE));
      const schema = await loadSchema(upstreamArtifact(ctx, 'schema', 'schema').uri);
      requireKnownFeatures(stats, config, environments);
      const report = validateAll(stats, schema, config);
      const outDir = await ctx.outputDir('anomalies');
      await writeValidationReport(path.join(outDir, ANOMALIES_FILE), report);
      for (const a of report.anomalies) ctx.log(`${a.severity}: ${a.dataset}${a.feature ? ` · ${a.feature}` : ''}: ${a.shortDescription}: ${a.description}`);
      return {
        outputs: [{ name: 'anomalies', type: 'Anomalies', path: outDir, managed: true, properties: counts(report) }],
        metrics: metrics(report),
        summary: describe(report),
        gateFailure: gate(report, config.stopOn),
        warning: unstopped(report, config.stopOn),
      };
    },
  };
}

function validateAll(stats: StatisticsFile, schema: DataSchema, config: ValidateConfig): ValidationReport {
  const split = (name: string) => stats.datasets.find((d) => d.name === name && d.span === undefined && d.slice === undefined);
  const train = split('train');
  const serving = split('serving');
  const thresholds = { drift: config.drift, skew: config.skew };
  const anomalies: Anomaly[] = [];
  const drift: ComparatorResult[] = [];
  const skew: ComparatorResult[] = [];
  for (const dataset of [train, split('eval'), serving].filter((d): d is DatasetStatistics => d !== undefined)) {
    const result = validateStatistics({
      stats: dataset,
      schema,
      environment: environmentOf(dataset.split),
      serving: dataset === train ? serving : undefined,
      thresholds,
    });
    anomalies.push(...result.anomalies);
    skew.push(...result.skew);
  }
  const spans = stats.datasets.filter((d) => d.split === 'train' && d.span !== undefined && d.slice === undefined);
  for (let i = 1; i < spans.length; i++) {
    const result = validateStatistics({ stats: spans[i], schema, environment: 'training', previous: spans[i - 1], thresholds });
    // The span's own schema anomalies are already reported for the whole split; keep what compares.
    anomalies.push(...result.anomalies.filter((a) => a.type.startsWith('COMPARATOR_')));
    drift.push(...result.drift);
  }
  return { format: 'mlops-anomalies', version: 1, environment: 'training', anomalies, drift, skew };
}

function requireKnownFeatures(stats: StatisticsFile, config: ValidateConfig, environments: Record<string, Located<string>[]>) {
  const known = new Set(stats.datasets.flatMap((d) => d.features.map((f) => f.name)));
  const named: [string, string][] = [
    ...Object.keys(config.drift).map((f): [string, string] => [f, 'validate.drift']),
    ...Object.keys(config.skew).map((f): [string, string] => [f, 'validate.skew']),
  ];
  for (const [feature, where] of named) {
    if (!known.has(feature)) throw unknownFeature(feature, where, config.location, known);
  }
  for (const [env, features] of Object.entries(environments)) {
    for (const f of features) if (!known.has(f.value)) throw unknownFeature(f.value, `environments.${env}.exclude`, f.location, known);
  }
}

function unknownFeature(feature: string, where: string, location: SourceLocation, known: Set<string>): UserError {
  const guess = closest(feature, known);
  return UserError.at(
    `${where} names '${feature}', which is not a feature of the data`,
    location,
    guess ? `did you mean '${guess}'?` : `features: ${[...known].join(', ')}`,
  );
}

/** Anomalies the pipeline lets through (`stop_on: never`, or warnings under `stop_on: error`): said, not ticked. */
function unstopped(report: ValidationReport, stopOn: ValidateConfig['stopOn']): string | undefined {
  const passed = report.anomalies.filter((a) => stopOn === 'never' || (stopOn === 'error' && a.severity !== 'error'));
  if (passed.length === 0 || gate(report, stopOn) !== undefined) return undefined;
  const errors = passed.filter((a) => a.severity === 'error').length;
  const what = errors ? `${errors} error${errors === 1 ? '' : 's'}` : `${passed.length} warning${passed.length === 1 ? '' : 's'}`;
  return `${what} in the data, not stopping the run (stop_on: ${stopOn})`;
}

function gate(report: ValidationReport, stopOn: ValidateConfig['stopOn']): string | undefined {
  if (stopOn === 'never') return undefined;
  const stopping = report.anomalies.filter((a) => stopOn === 'warning' || a.severity === 'error');
  if (stopping.length === 0) return undefined;
  const features = [...new Set(stopping.map((a) => a.feature ?? 'dataset'))];
  return `validation found ${stopping.length} anomal${stopping.length === 1 ? 'y' : 'ies'} (stop_on: ${stopOn}) in ${features.slice(0, 5).join(', ')}${features.length > 5 ? ', …' : ''}: later components do not run on this data`;
}

function counts(report: ValidationReport) {
  return {
    errors: report.anomalies.filter((a) => a.severity === 'error').length,
    warnings: report.anomalies.filter((a) => a.severity === 'warning').length,
    driftFired: report.drift.filter((d) => d.fired).length,
    skewFired: report.skew.filter((d) => d.fired).length,
  };
}

function metrics(report: ValidationReport): MetricPoint[] {
  const c = counts(report);
  const now = Date.now();
  const points: MetricPoint[] = [
    { key: 'anomalies.errors', value: c.errors, timestamp: now },
    { key: 'anomalies.warnings', value: c.warnings, timestamp: now },
  ];
  // One point per span pair, so a drift metric reads as a series over the spans.
  const spanIndex = new Map<string, number>();
  for (const d of report.drift) {
    if (!spanIndex.has(d.current)) spanIndex.set(d.current, spanIndex.size + 1);
    points.push({ key: `drift.${d.feature}.${d.method}`, value: d.value, step: spanIndex.get(d.current)!, timestamp: now });
  }
  for (const s of report.skew) points.push({ key: `skew.${s.feature}.${s.method}`, value: s.value, timestamp: now });
  return points;
}

function describe(report: ValidationReport): string {
  const c = counts(report);
  const parts = [`${c.errors} error${c.errors === 1 ? '' : 's'}`, `${c.warnings} warning${c.warnings === 1 ? '' : 's'}`];
  if (report.drift.length) parts.push(`drift ${c.driftFired}/${report.drift.length} fired`);
  if (report.skew.length) parts.push(`skew ${c.skewFired}/${report.skew.length} fired`);
  return parts.join(' · ');
}
