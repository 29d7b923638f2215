import { promises as fs } from 'node:fs';
import { runEvaluation, writeEvaluationArtifacts, type ModelUnderEvaluation } from '../../evaluate/run';
import type { EvaluationReport, SliceResult } from '../../evaluate/types';
import { loadModel } from '../../model/package';
import { registryModelName } from '../../pipeline/analysisSections';
import { modelComponent } from '../../pipeline/components';
import type { EvaluateConfig } from '../../pipeline/config';
import type { ModelVersionRecord } from '../../registry/types';
import { examplesRows } from '../../scoring/rows';
import type { MetricPoint } from '../../store/types';
import type { Executor, ExecutorContext } from '../executor';
import { upstreamArtifact } from './upstream';
import { formatCount } from '../../util/format';

/**
 * Evaluates the trained model on the eval split (TFMA semantics), next to the baseline from the
 * registry, and blesses it or not. An unblessed model is a gate failure: its evaluation is published
 * so the user sees why, and push never starts.
 */
export function evaluateExecutor(settings: EvaluateConfig): Executor {
  // Never reused, so no fingerprint: the baseline (the registry's production version) can change between runs.
  return {
    async run(ctx) {
      const modelArtifact = upstreamArtifact(ctx, modelComponent(ctx.config), 'model');
      const examples = upstreamArtifact(ctx, 'ingest', 'examples');
      const source = await examplesRows(examples.uri, settings.split, `split ${settings.split} of run #${ctx.runId}`);
      const candidate: ModelUnderEvaluation = {
        model: await loadModel(modelArtifact.uri),
        ref: { label: `run #${ctx.runId}`, runId: ctx.runId, uri: modelArtifact.uri, weightsHash: String(modelArtifact.properties.weightsHash ?? '') },
      };
      const baseline = await loadBaseline(ctx, registryModelName(ctx.config));
      try {
        const { report, scored } = await runEvaluation({
          source,
          candidate,
          baseline,
          settings,
          seed: ctx.config.seed,
          signal: ctx.signal,
          log: (line) => ctx.log(line),
          progress: (rows) => ctx.progress(`scored ${formatCount(rows)} rows`),
        });
        const dirs = {
          evaluation: await ctx.outputDir('evaluation'),
          blessing: await ctx.outputDir('blessing'),
          predictions: await ctx.outputDir('predictions'),
        };
        await writeEvaluationArtifacts(dirs, report, scored, candidate.model);
        const failed = report.blessing.checks.filter((c) => c.outcome === 'failed');
        return {
          outputs: [
            {
              name: 'evaluation',
              type: 'ModelEvaluation',
              path: dirs.evaluation,
              managed: true,
              properties: {
                task: report.task,
                rows: report.data.rows,
                slices: report.slices.length,
                baseline: report.baseline?.label ?? null,
                overall: definedMetrics(report),
              },
            },
            {
              name: 'blessing',
              type: 'ModelBlessing',
              path: dirs.blessing,
              managed: true,
              properties: { blessed: report.blessing.blessed, failed: failed.length },
            },
            { name: 'predictions', type: 'Predictions', path: dirs.predictions, managed: true, properties: { rows: scored.ids.length } },
          ],
          metrics: overallMetrics(report),
          params: { split: settings.split, ...(report.baseline ? { baseline: report.baseline.label } : {}) },
          summary: describe(report),
          gateFailure: report.blessing.blessed ? undefined : `model not blessed: ${failed.map((c) => `${c.metric} on ${c.slice}: ${c.reason}`).join('; ')}`,
        };
      } finally {
        candidate.model.dispose();
        baseline?.model.dispose();
      }
    },
  };
}

async function loadBaseline(ctx: ExecutorContext, model: string): Promise<ModelUnderEvaluation | undefined> {
  const version = ctx.registry.baseline(model);
  if (!version) {
    ctx.log(`no baseline: '${model}' has no production or blessed version yet, so change thresholds are skipped`);
    return undefined;
  }
  const dir = await packageFolder(version);
  const label = `${version.model}@${version.version} (${version.aliases.includes('production') ? 'production' : 'latest blessed'})`;
  if (!dir) {
    ctx.log(`baseline ${label} left out: its package is gone from ${version.uri}${version.pushedTo ? ` and ${version.pushedTo}` : ''}`);
    return undefined;
  }
  return {
    model: await loadModel(dir),
    ref: { label, model: version.model, version: version.version, runId: version.runId ?? undefined, uri: dir, weightsHash: version.weightsHash },
  };
}

/** The version's package: the run's artifact, else the pushed copy (the run may have been deleted). */
async function packageFolder(version: ModelVersionRecord): Promise<string | undefined> {
  for (const dir of [version.uri, version.pushedTo]) {
    if (dir && (await fs.stat(dir).catch(() => undefined))?.isDirectory()) return dir;
  }
  return undefined;
}

function definedMetrics(report: EvaluationReport): Record<string, number> {
  return Object.fromEntries(Object.entries(report.overall.metrics).filter((e): e is [string, number] => e[1] !== null && Number.isFinite(e[1])));
}

/** Overall metrics as `eval.<name>`: what the runs list, comparison and the registry show. */
function overallMetrics(report: EvaluationReport): MetricPoint[] {
  const now = Date.now();
  return Object.entries(definedMetrics(report)).map(([key, value]) => ({ key: `eval.${key}`, value, timestamp: now }));
}

const HEADLINE = ['auc', 'accuracy', 'rmse'];

/** "auc 0.951 (baseline 0.948) · 24 slices, 2 worse than overall · blessed". */
function describe(report: EvaluationReport): string {
  const { overall } = report;
  const metric = HEADLINE.find((m) => overall.metrics[m] !== undefined && overall.metrics[m] !== null);
  const parts: string[] = [];
  if (metric) {
    const base = overall.baseline?.[metric];
    parts.push(`${metric} ${overall.metrics[metric]!.toFixed(3)}${base !== undefined && base !== null ? ` (baseline ${base.toFixed(3)})` : ''}`);
  }
  const worse = report.slices.filter((s: SliceResult) => s.worse.length > 0).length;
  if (report.slices.length) parts.push(`${report.slices.length} slices${worse ? `, ${worse} worse than overall` : ''}`);
  if (report.fairness.length) parts.push(`fairness on ${report.fairness.map((f) => f.name).join(', ')}`);
  parts.push(report.blessing.blessed ? 'blessed' : 'NOT blessed');
  return parts.join(' · ');
}
