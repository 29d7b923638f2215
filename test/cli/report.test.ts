import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import type { EvaluationReport } from '../../src/core/evaluate/report';
import type { RunDetails } from '../../src/core/store/types';
import type { RunReport } from '../../src/cli/runReport/types';
import { mlops, mlopsJson } from '../helpers/cli';
import { ciPipeline } from '../helpers/ciPipeline';
import { tempDir } from '../helpers/tmp';

/**
 * `mlops report` on real runs of the taxi pipeline: #1 trains for one epoch and becomes production
 * (taxi@1); #2 trains for three and is evaluated against it without pushing (what a pull request
 * runs); #3 stops at validation (stop_on: error).
 */
describe('mlops report', () => {
  const dir = tempDir('mlops-report-');
  const run = (pipeline: string, args: string[] = []) => {
    writeFileSync(path.join(dir, 'taxi.pipeline.yaml'), pipeline);
    return mlops(['run', 'taxi.pipeline.yaml', ...args], dir);
  };
  const report = (args: string[]) => {
    const r = mlops(['report', ...args], dir);
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  const json = (args: string[]) => JSON.parse(report([...args, '--format', 'json'])) as RunReport;

  before(() => {
    assert.equal(run(ciPipeline({ epochs: 1 })).status, 0);
    assert.equal(run(ciPipeline({ epochs: 3 }), ['--component', 'evaluate']).status, 0);
    assert.equal(run(ciPipeline({ epochs: 3, stopOn: 'error' })).status, 1);
  });

  it('compares the metrics with production on the same rows, arrows in the way each metric went, coloured by its better side', () => {
    const r = json(['2']);
    const evaluation = evaluationOf(dir, 2);
    assert.deepEqual(r.evaluation?.against, {
      ref: 'production',
      label: 'taxi@1',
      model: 'taxi',
      version: 1,
      basis: 'same-rows',
      data: evaluation.data.source,
    });
    const better: Record<string, 'higher' | 'lower' | null> = {
      auc: 'higher',
      accuracy: 'higher',
      recall: 'higher',
      log_loss: 'lower',
      example_count: null,
      mean_prediction: null,
    };
    for (const m of r.evaluation.metrics) {
      assert.equal(m.value, evaluation.overall.metrics[m.metric], m.metric);
      assert.equal(m.production, evaluation.overall.baseline![m.metric], m.metric);
      if (m.metric in better) assert.equal(m.better, better[m.metric], m.metric);
      const change = m.value! - m.production!;
      const expected = Math.abs(change) < 1e-9 ? 'same' : m.better === null ? 'changed' : change > 0 === (m.better === 'higher') ? 'better' : 'worse';
      assert.equal(m.verdict, expected, m.metric);
    }
    // Three epochs against one: better on some metrics, worse on others (recall), so both kinds show.
    assert.ok(r.evaluation.metrics.some((m) => m.verdict === 'better'));
    assert.ok(r.evaluation.metrics.some((m) => m.verdict === 'worse'));

    const markdown = report(['2']);
    assert.match(markdown, /against taxi@1 \(production\) scored on the same rows/);
    for (const m of r.evaluation.metrics.filter((x) => x.verdict === 'better' || x.verdict === 'worse')) {
      const row = markdown.split('\n').find((l) => l.startsWith(`| ${m.metric} |`));
      assert.ok(row, m.metric);
      const arrow = m.change! > 0 ? '↑' : '↓';
      assert.ok(row.includes(m.verdict === 'better' ? `🟢 ${arrow}` : `🔴 ${arrow}`), `${m.metric}: ${row}`);
      assert.equal(row.includes('**regression**'), m.verdict === 'worse', row);
    }
    const regressions = r.evaluation.regressions;
    assert.ok(regressions > 0);
    assert.match(markdown, new RegExp(`### Model: ✅ blessed · ⚠️ ${regressions} regressions? against taxi@1`));
    for (const c of r.evaluation.blessing.checks) assert.ok(markdown.includes(`${c.metric} on ${c.slice} (${c.kind}): ${c.reason}`));
    assert.match(markdown, /\*\*Fairness\*\*/);
    assert.match(markdown, /\| payment_type \| demographic_parity_difference \|/);
  });

  it('reports the validation verdict, the anomalies and the skew that fired', () => {
    const v = json(['2']).validation!;
    assert.equal(v.verdict, 'failed');
    assert.ok(v.errors >= 1);
    const skew = v.comparisons.find((c) => c.feature === 'payment_type' && c.kind === 'skew');
    assert.ok(skew?.fired && skew.value > skew.threshold!);
    assert.equal(v.comparisons[0], skew, 'fired comparisons come first');
    assert.ok(v.anomalies.some((a) => a.feature === 'payment_type' && a.type === 'COMPARATOR_L_INFTY_HIGH'));
    const markdown = report(['2']);
    assert.match(markdown, new RegExp(`### Data validation: ❌ failed: ${v.errors} errors?, ${v.warnings} warnings?`));
    assert.match(markdown, /\| ❌ \| payment_type \| skew: train vs serving \| linf \| 0\.0225 \| 0\.01 \|/);
    assert.match(markdown, /\| ❌ \| train \| payment_type \| \*\*High Linfty distance between training and serving\*\*/);
  });

  it('has the documented JSON shape', () => {
    const r = json(['2']);
    assert.deepEqual(Object.keys(r), ['format', 'version', 'run', 'components', 'validation', 'evaluation', 'charts', 'notes']);
    assert.equal(r.format, 'mlops-run-report');
    assert.equal(r.version, 1);
    assert.deepEqual(Object.keys(r.run), ['id', 'pipeline', 'status', 'file', 'gitCommit', 'gitDirty', 'startedAt', 'endedAt', 'error']);
    assert.deepEqual(
      r.components.map((c) => c.name),
      ['ingest', 'statistics', 'schema', 'validate', 'transform', 'train', 'evaluate'],
    );
    assert.deepEqual(Object.keys(r.validation!), ['verdict', 'errors', 'warnings', 'anomalies', 'comparisons', 'comparisonsTotal', 'comparisonsFired']);
    assert.deepEqual(Object.keys(r.evaluation!), ['candidate', 'data', 'task', 'against', 'metrics', 'blessing', 'slices', 'fairness', 'regressions']);
    assert.deepEqual(r.charts, []);
  });

  it('writes SVG charts beside the report with --out, or links them with --charts-link', () => {
    const out = path.join(dir, 'pr', 'report.md');
    assert.match(report(['2', '--out', out]), /wrote .*report\.md and 3 charts/);
    const charts = path.join(dir, 'pr', 'report-charts');
    assert.deepEqual(readdirSync(charts).sort(), ['drift.svg', 'metrics.svg', 'slices.svg']);
    for (const f of readdirSync(charts)) assert.match(readFileSync(path.join(charts, f), 'utf8'), /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const markdown = readFileSync(out, 'utf8');
    assert.match(markdown, /!\[Metrics: run #2 and taxi@1\]\(report-charts\/metrics\.svg\)/);
    assert.match(markdown, /!\[auc per slice\]\(report-charts\/slices\.svg\)/);

    report(['2', '--out', out, '--charts-link', 'https://ci.example/runs/7']);
    const linked = readFileSync(out, 'utf8');
    assert.doesNotMatch(linked, /!\[/);
    assert.match(linked, /\[download them here\]\(https:\/\/ci\.example\/runs\/7\)/);

    const jsonOut = path.join(dir, 'pr', 'report.json');
    report(['2', '--out', jsonOut, '--format', 'json']);
    const written = JSON.parse(readFileSync(jsonOut, 'utf8')) as RunReport;
    assert.deepEqual(
      written.charts.map((c) => c.file),
      ['report-charts/metrics.svg', 'report-charts/slices.svg', 'report-charts/drift.svg'],
    );
    assert.ok(written.charts.every((c) => existsSync(path.join(dir, 'pr', c.file))));
  });

  it('reports what a failed run has: the validation that stopped it, and no evaluation', () => {
    const markdown = report(['3']);
    assert.match(markdown, /^## 🔴 MLOps run #3 · taxi · failed/);
    const out = path.join(dir, 'failed', 'report.md');
    assert.match(report(['3', '--out', out]), /wrote .*report\.md and 1 chart$/m);
    assert.deepEqual(readdirSync(path.join(dir, 'failed', 'report-charts')), ['drift.svg']);
    assert.match(markdown, /❌ validate/);
    assert.match(markdown, /### Data validation: ❌ failed/);
    assert.match(markdown, /No evaluation in this run\./);
    const r = json(['latest']);
    assert.equal(r.run.id, 3);
    assert.equal(r.evaluation, null);
    assert.deepEqual(r.notes, ['run #3 has no evaluation (the run failed before evaluate)']);
  });

  it('shows the metrics alone when there is nothing to compare with: the first model, which became production', () => {
    const r = json(['1']);
    assert.equal(r.evaluation?.against, null);
    assert.ok(r.evaluation.metrics.every((m) => m.production === null && m.verdict === null));
    assert.deepEqual(r.notes, ["this run's model is taxi@1, which production now points at, and it was evaluated without a baseline: nothing to compare with"]);
    const markdown = report(['1']);
    assert.match(markdown, /### Model: ✅ blessed\n/);
    assert.match(markdown, /\| Metric \| run #1 \|\n\|---\|---\|\n\| example_count \| 5000 \|\n/);
  });

  it('compares a run that pushed its own model with the production it was evaluated against', () => {
    assert.equal(run(ciPipeline({ epochs: 2 })).status, 0);
    const r = json(['4']);
    assert.equal(r.evaluation?.against?.label, 'taxi@1');
    assert.equal(r.evaluation?.against?.basis, 'same-rows');
    assert.deepEqual(r.notes, ["this run's model is taxi@2, which production now points at: compared with taxi@1, the baseline it was evaluated against"]);
    assert.equal(json(['2', '--against', 'taxi@2']).evaluation?.against?.basis, 'own-evaluation');
  });

  it('says what is wrong with a bad run id, format or reference', () => {
    const missing = mlops(['report', '99'], dir);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no run #99 in this store/);
    const format = mlops(['report', '2', '--format', 'xml'], dir);
    assert.equal(format.status, 2);
    assert.match(format.stderr, /--format xml: use one of markdown, json/);
    const against = mlops(['report', '2', '--against', 'not an alias'], dir);
    assert.equal(against.status, 2);
    assert.match(against.stderr, /'not an alias' is not a valid alias/);
    // A name not in the registry is a typo to say, not a report with nothing to compare with.
    for (const [ref, message] of [
      ['taxi@99', /model 'taxi' has no version 99/],
      ['other@1', /there is no model 'other' in the registry/],
      ['staging', /model 'taxi' has no alias 'staging'/],
    ] as const) {
      const typo = mlops(['report', '2', '--against', ref], dir);
      assert.equal(typo.status, 2, `${ref}: ${typo.stdout}${typo.stderr}`);
      assert.match(typo.stderr, message);
    }
    const empty = mlops(['report', 'latest'], tempDir('mlops-report-empty-'));
    assert.equal(empty.status, 2);
    assert.match(empty.stderr, /there is no run store here/);
  });
});

function evaluationOf(dir: string, runId: number): EvaluationReport {
  const details = mlopsJson<RunDetails>(['runs', 'show', String(runId)], dir);
  const artifact = details.artifacts.find((a) => a.type === 'ModelEvaluation' && a.role === 'output')!;
  return JSON.parse(readFileSync(path.join(artifact.uri, 'evaluation.json'), 'utf8')) as EvaluationReport;
}
