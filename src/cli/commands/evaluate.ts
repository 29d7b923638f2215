import * as path from 'node:path';
import { runEvaluation, type ModelUnderEvaluation } from '../../core/evaluate/run';
import type { EvaluationReport, SliceResult } from '../../core/evaluate/types';
import { defaultDirection } from '../../core/evaluate/metricNames';
import { loadModel } from '../../core/model/package';
import { defaultEvaluateConfig, registryModelName } from '../../core/pipeline/analysisSections';
import { loadPipeline } from '../../core/pipeline/load';
import { baselineVersion, parseModelRef, resolveModelRef, type ResolvedModel } from '../../core/registry';
import { ExitCode } from '../../core/runner/events';
import type { RunStore } from '../../core/store';
import { csvRows } from '../../core/scoring/rows';
import { UserError } from '../../core/util/problems';
import { defineCommand, flag, option } from '../args';
import { pipelineOfModel } from '../modelContext';
import { openStoreForReading } from '../storePath';
import { print, style, table } from '../style';
import { formatCount } from '../../core/util/format';

export const evaluateCommand = defineCommand({
  name: 'evaluate',
  summary: 'Evaluate a model on a CSV: metrics overall and per slice, fairness, the baseline and the blessing thresholds.',
  arguments: [],
  options: [
    option('model', 'REF', 'the model: a run id, model@version, model@alias or a model name (its production version)'),
    option('data', 'CSV', 'the rows to evaluate, with the label column'),
    option('baseline', 'REF', "compare with this model (default: the registry's production version, else the latest blessed one)"),
    flag('no-baseline', 'compare with no model: change thresholds are skipped'),
    option(
      'config',
      'PIPELINE',
      "take slices, fairness and thresholds from this pipeline file's evaluate section (default: the pipeline that trained the model)",
    ),
    option('delimiter', 'CHAR', "field delimiter of the CSV (default: the pipeline's, else ,)"),
    flag('json', 'print overall, slices, fairness and validation as JSON'),
  ],
  examples: ['mlops evaluate --model 12 --data data/eval.csv', 'mlops evaluate --model taxi@production --data eval.csv --baseline taxi@3 --json'],
  async run({ options }) {
    const modelText = required(options.model, '--model', 'the model to evaluate, e.g. --model 12 or --model taxi@3');
    const data = path.resolve(required(options.data, '--data', 'the CSV to evaluate on, with the label column'));
    const store = openStoreForReading(options.store);
    if (!store)
      throw UserError.at('there is no run store here, so no model to evaluate', undefined, 'run a pipeline with a train component first, or pass --store');
    try {
      const candidateRef = resolveModelRef(store, parseModelRef(modelText));
      const pipeline = options.config !== undefined ? await loadPipeline(path.resolve(options.config)) : await pipelineOfModel(store, candidateRef);
      const settings = pipeline?.evaluate ?? defaultEvaluateConfig({ file: data });
      const baselineRef = options['no-baseline']
        ? undefined
        : chooseBaseline(store, candidateRef, options.baseline, pipeline ? registryModelName(pipeline) : candidateRef.model);
      const source = await csvRows(data, { delimiter: options.delimiter ?? pipeline?.data.delimiter });
      const candidate = await loaded(candidateRef);
      const baseline = baselineRef && (await loaded(baselineRef));
      try {
        const logs: string[] = [];
        const { report } = await runEvaluation({ source, candidate, baseline, settings, seed: pipeline?.seed ?? 0, log: (line) => logs.push(line) });
        for (const line of logs) process.stderr.write(style.dim(line) + '\n');
        if (source.bad.length)
          process.stderr.write(
            style.yellow(
              `${source.bad.length} malformed rows left out (first: row ${source.bad[0].row}, line ${source.bad[0].line}: ${source.bad[0].reason})`,
            ) + '\n',
          );
        print(options.json ? JSON.stringify(jsonOutput(report), null, 2) : renderReport(report));
        return report.blessing.blessed ? ExitCode.ok : ExitCode.gateFailed;
      } finally {
        candidate.model.dispose();
        baseline?.model.dispose();
      }
    } finally {
      store.close();
    }
  },
});

function required(value: unknown, option: string, what: string): string {
  if (typeof value === 'string' && value !== '') return value;
  throw UserError.at(`missing ${option}: ${what}`);
}

/** `--baseline` when given; else the registry's baseline for the model's name, unless it is the candidate itself. */
function chooseBaseline(store: RunStore, candidate: ResolvedModel, option: unknown, model: string | undefined): ResolvedModel | undefined {
  if (typeof option === 'string') return resolveModelRef(store, parseModelRef(option));
  const version = model === undefined ? undefined : baselineVersion(store, model);
  if (!version || version.weightsHash === candidate.weightsHash) return undefined;
  return resolveModelRef(store, { kind: 'version', model: version.model, version: version.version });
}

async function loaded(ref: ResolvedModel): Promise<ModelUnderEvaluation> {
  return {
    model: await loadModel(ref.uri),
    ref: { label: ref.label, runId: ref.runId, model: ref.model, version: ref.version, uri: ref.uri, weightsHash: ref.weightsHash },
  };
}

/** The shape scripts read: overall, slices, fairness and validation. */
export function jsonOutput(report: EvaluationReport) {
  const slice = (s: SliceResult) => ({
    slice: s.name,
    count: s.count,
    metrics: s.metrics,
    ...(s.intervals && { intervals: s.intervals }),
    ...(s.baseline && { baseline: s.baseline }),
    worse: s.worse,
  });
  return {
    model: report.candidate,
    baseline: report.baseline ?? null,
    data: report.data,
    overall: slice(report.overall),
    slices: report.slices.map(slice),
    fairness: report.fairness,
    validation: {
      blessed: report.blessing.blessed,
      failures: report.blessing.checks.filter((c) => c.outcome === 'failed'),
      checks: report.blessing.checks,
    },
  };
}

const fmt = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : Math.abs(v) >= 1000 ? v.toLocaleString('en-US', { maximumFractionDigits: 1 }) : v.toPrecision(4).replace(/\.?0+$/, '');

function renderReport(report: EvaluationReport): string {
  const { overall } = report;
  const out: string[] = [];
  out.push(
    style.bold(`${report.candidate.label} on ${report.data.source}`) +
      style.dim(` · ${formatCount(report.data.rows)} rows${report.data.skippedRows ? `, ${report.data.skippedRows} left out` : ''}`),
  );
  if (report.baseline) out.push(style.dim(`baseline: ${report.baseline.label}`));
  out.push('');
  const metricRows = Object.entries(overall.metrics).map(([name, value]) => {
    const base = overall.baseline?.[name];
    const ci = overall.intervals?.[name];
    const row = [name, fmt(value), ci ? style.dim(`[${fmt(ci[0])}, ${fmt(ci[1])}]`) : ''];
    if (report.baseline) row.push(fmt(base), value !== null && base !== null && base !== undefined ? change(name, value - base) : '');
    return row;
  });
  out.push(table(['METRIC', 'VALUE', 'INTERVAL', ...(report.baseline ? ['BASELINE', 'CHANGE'] : [])], metricRows));
  if (report.slices.length) {
    const headline = ['auc', 'accuracy', 'rmse'].find((m) => m in overall.metrics) ?? Object.keys(overall.metrics)[1];
    out.push('', style.bold('Slices'));
    out.push(
      table(
        ['SLICE', 'COUNT', headline.toUpperCase(), ''],
        report.slices.map((s) => [
          s.name,
          formatCount(s.count),
          s.belowMinSize ? style.dim('too few rows') : fmt(s.metrics[headline]),
          s.worse.length ? style.yellow(`worse than overall: ${s.worse.join(', ')}`) : '',
        ]),
      ),
    );
  }
  for (const f of report.fairness) {
    out.push('', style.bold(`Fairness: ${f.name}`) + style.dim(` at threshold ${f.threshold}`));
    out.push(
      table(
        ['GROUP', 'COUNT', 'SELECTION', 'TPR', 'FPR'],
        [f.overall, ...f.groups].map((g) => [g.group, formatCount(g.count), fmt(g.rates?.selection_rate), fmt(g.rates?.tpr), fmt(g.rates?.fpr)]),
      ),
    );
    if (f.demographicParity && f.equalizedOdds) {
      out.push(
        `demographic parity difference ${fmt(f.demographicParity.difference)} (ratio ${fmt(f.demographicParity.ratio)}) · equalized odds difference ${fmt(f.equalizedOdds.difference)} (ratio ${fmt(f.equalizedOdds.ratio)})`,
      );
    }
  }
  out.push('');
  for (const c of report.blessing.checks) {
    const mark = c.outcome === 'passed' ? style.green('✓') : c.outcome === 'failed' ? style.red('✗') : style.dim('–');
    out.push(`${mark} ${c.metric} on ${c.slice} (${c.kind}): ${c.reason}`);
  }
  out.push(report.blessing.blessed ? style.green('blessed') : style.red('NOT blessed'));
  return out.join('\n');
}

function change(metric: string, diff: number): string {
  const direction = defaultDirection(metric);
  const text = `${diff >= 0 ? '+' : ''}${fmt(diff)}`;
  if (diff === 0 || direction === undefined) return text;
  return diff > 0 === (direction === 'higher') ? style.green(text) : style.red(text);
}
