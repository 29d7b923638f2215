import * as path from 'node:path';
import type { MetricComparison, RunReport, ValidationSection, Verdict } from './types';

/**
 * The report as GitHub-flavoured markdown (also fine in GitLab): what a pull request comment
 * carries. Pure. Charts are images beside the file, or with `chartsLink` one link to where CI
 * uploaded them: a comment renders neither relative paths nor data: URIs.
 */
export function renderMarkdown(report: RunReport, options: { chartsLink?: string; root?: string } = {}): string {
  const { run } = report;
  const out: string[] = [];
  const ok = run.status === 'complete';
  out.push(`## ${ok ? '🟢' : '🔴'} MLOps run #${run.id} · ${cell(run.pipeline)} · ${run.status}`);
  const source = run.gitCommit ? `git \`${run.gitCommit.slice(0, 12)}\`${run.gitDirty ? ' (uncommitted changes)' : ''}` : 'not in a git repository';
  out.push('', `\`${cell(shownPath(run.file, options.root))}\` · ${source}`);
  if (report.components.length) out.push('', report.components.map((c) => `${MARK[c.status] ?? '·'} ${c.name}`).join(' → '));
  if (run.error) out.push('', '```', run.error, '```');

  out.push('', ...validation(report.validation));
  out.push('', ...evaluation(report));
  if (report.charts.length) {
    out.push('', '### Charts', '');
    if (options.chartsLink)
      out.push(
        `${report.charts.length === 1 ? 'An SVG chart' : `${report.charts.length} SVG charts`} (${report.charts.map((c) => `*${c.title}*`).join(', ')}) in the job's artifacts: [download them here](${options.chartsLink}).`,
      );
    else out.push(...report.charts.map((c) => `![${c.title}](${encodeURI(c.file)})`));
  }
  if (report.notes.length) out.push('', '<sub>', '', ...report.notes.map((n) => `- ${cell(n)}`), '', '</sub>');
  return out.join('\n') + '\n';
}

const MARK: Record<string, string> = { complete: '✅', cached: '✅', failed: '❌', canceled: '⏹️', skipped: '⏭️', running: '⏳' };

function validation(v: ValidationSection | null): string[] {
  if (!v) return ['### Data validation', '', 'Not validated in this run.'];
  const counts = `${v.errors} error${v.errors === 1 ? '' : 's'}, ${v.warnings} warning${v.warnings === 1 ? '' : 's'}`;
  const head = { passed: '✅ passed', warnings: `⚠️ passed with ${counts}`, failed: `❌ failed: ${counts}` }[v.verdict];
  const out = [`### Data validation: ${head}`];
  if (v.anomalies.length) {
    out.push('', '| | Dataset | Feature | Anomaly |', '|---|---|---|---|');
    for (const a of v.anomalies)
      out.push(
        `| ${a.severity === 'error' ? '❌' : '⚠️'} | ${cell(a.dataset)} | ${cell(a.feature ?? '(dataset)')} | **${cell(a.summary)}**: ${cell(shorten(a.description))} |`,
      );
    const more = v.errors + v.warnings - v.anomalies.length;
    if (more > 0)
      out.push('', `…and ${more} more: the run's \`Anomalies\` artifact (\`anomalies.json\`) has them all, the editor's Anomalies panel shows them.`);
  }
  if (v.comparisonsTotal) {
    out.push('', `**Drift and skew**: ${v.comparisonsFired} of ${v.comparisonsTotal} comparisons past their threshold.`, '');
    out.push('| | Feature | Compared | Method | Value | Threshold |', '|---|---|---|---|---|---|');
    for (const c of v.comparisons) {
      const value = c.pValue === null ? num(c.value) : `${num(c.value)} (p = ${num(c.pValue)})`;
      out.push(
        `| ${c.fired ? '❌' : '✅'} | ${cell(c.feature)} | ${c.kind}: ${cell(c.current)} vs ${cell(c.reference)} | ${c.method} | ${value} | ${c.threshold === null ? '—' : num(c.threshold)} |`,
      );
    }
  }
  return out;
}

function evaluation(report: RunReport): string[] {
  const e = report.evaluation;
  if (!e) return ['### Model', '', 'No evaluation in this run.'];
  const verdict = e.blessing.blessed ? '✅ blessed' : '❌ not blessed';
  const against = e.against;
  const regressions = against
    ? ` · ${e.regressions ? `⚠️ ${e.regressions} regression${e.regressions === 1 ? '' : 's'}` : 'no regressions'} against ${against.label}`
    : '';
  const out = [`### Model: ${verdict}${regressions}`, ''];
  out.push(
    against
      ? `${cell(e.candidate)} on ${cell(e.data.source)} (${e.data.rows} rows), against ${against.label} (${against.ref}) ${
          against.basis === 'same-rows' ? 'scored on the same rows' : `from its own evaluation${against.data ? ` on ${cell(against.data)}` : ''}`
        }.`
      : `${cell(e.candidate)} on ${cell(e.data.source)} (${e.data.rows} rows); nothing to compare with.`,
  );
  const name = `run #${report.run.id}`;
  out.push('', `| Metric | ${name} |${against ? ` ${against.label} | Change |` : ''}`, `|---|---|${against ? '---|---|' : ''}`);
  for (const m of e.metrics) out.push(`| ${m.metric} | ${num(m.value)} |${against ? ` ${num(m.production)} | ${change(m)} |` : ''}`);

  if (e.blessing.checks.length) {
    out.push('', '**Blessing checks**', '');
    for (const c of e.blessing.checks)
      out.push(`- ${{ passed: '✅', failed: '❌' }[c.outcome] ?? '➖'} ${c.metric} on ${cell(c.slice)} (${c.kind}): ${cell(c.reason)}`);
  }
  if (e.slices.length) {
    const metric = e.slices[0].metric;
    out.push('', '**Slices** (worse than ' + (against ? `${against.label}, or ` : '') + 'significantly worse than Overall)', '');
    out.push(
      `| Slice | Rows | ${metric} |${against ? ` ${against.label} | Change |` : ''} Worse than Overall on |`,
      `|---|---|---|${against ? '---|---|' : ''}---|`,
    );
    for (const s of e.slices) {
      const c = { metric, value: s.value, production: s.production, change: s.change, better: null, verdict: s.change === null ? null : ('worse' as Verdict) };
      out.push(
        `| ${cell(s.slice)} | ${s.count} | ${num(s.value)} |${against ? ` ${num(s.production)} | ${s.change === null ? '' : change(c)} |` : ''} ${s.worseThanOverall.join(', ')} |`,
      );
    }
  }
  if (e.fairness.length) {
    out.push(
      '',
      '**Fairness**',
      '',
      `| Sensitive | Measure | ${name} |${against ? ` ${against.label} | Change |` : ''}`,
      `|---|---|---|${against ? '---|---|' : ''}`,
    );
    for (const f of e.fairness) out.push(`| ${cell(f.feature)} | ${f.metric} | ${num(f.value)} |${against ? ` ${num(f.production)} | ${change(f)} |` : ''}`);
  }
  return out;
}

/** ↑/↓ is the way the value went; green or red says whether that is the metric's better way. */
function change(m: Pick<MetricComparison, 'change' | 'verdict'>): string {
  if (m.change === null || m.verdict === null) return '';
  if (m.verdict === 'same') return '＝';
  const arrow = m.change > 0 ? '↑' : '↓';
  const text = `${arrow} ${m.change > 0 ? '+' : '−'}${num(Math.abs(m.change))}`;
  return m.verdict === 'better' ? `🟢 ${text}` : m.verdict === 'worse' ? `🔴 ${text} **regression**` : text;
}

function num(v: number | null): string {
  if (v === null) return '—';
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 1000 ? v.toLocaleString('en-US', { maximumFractionDigits: 1 }) : Number(v.toPrecision(4)).toString();
}

/** Inside `root` (the repository a CI job checked out) a path reads relative to it; the store keeps it absolute. */
function shownPath(file: string, root: string | undefined): string {
  const relative = root === undefined ? undefined : path.relative(root, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : file;
}

/** A table cell: pipes escaped, one line. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function shorten(text: string, max = 160): string {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}
