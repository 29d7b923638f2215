import * as path from 'node:path';
import { checkMessage, comparatorMessage, shortNumber, type MalformedLine, type WindowOutcome, type WindowReport } from '../../core/monitor';
import type { ComparatorResult } from '../../core/validate/types';
import { style } from '../style';
import { formatCount } from '../../core/util/format';

/** What `mlops monitor` prints per checked window, for a person (the JSON form is the outcome itself). */

const HEADLINE: Record<string, string[]> = { binary: ['accuracy', 'auc'], multiclass: ['accuracy', 'macro_f1'], regression: ['rmse', 'mae'] };
const SHOWN_RESULTS = 4;

export function renderWindow({ report, alerts }: WindowOutcome, printedNotes: Set<string>): string {
  const { window } = report;
  const time = (t: number) => new Date(t).toISOString().replace('T', ' ').slice(0, 19);
  const lines = [
    style.bold(`${window.model}@${window.version}`) +
      ` · ${time(window.start)} → ${time(window.end)} UTC · ${formatCount(window.rows)} rows · ${formatCount(report.labelled)} labelled`,
  ];
  if (report.drift.length) lines.push(`  drift       ${results(report.drift, 'features')}`);
  if (report.predictionDrift.length) lines.push(`  prediction  ${results(report.predictionDrift, 'outputs')}`);
  if (report.metrics)
    lines.push(
      `  online      ${metrics(
        report.metrics,
        report.metrics.checks.map((c) => c.metric),
      )}`,
    );
  for (const c of report.metrics?.checks ?? [])
    if (c.value !== null && (c.kind === 'value' || (c.change !== null && c.change !== undefined)))
      lines.push(`  bound       ${(c.outcome === 'failed' ? style.red : style.green)(checkMessage(c))}`);
  const invalid = Object.entries(report.invalid);
  if (invalid.length)
    lines.push(style.yellow(`  invalid     ${invalid.map(([f, n]) => `${f}: ${n} values of the wrong type, counted as missing`).join(' · ')}`));
  for (const { alert, created, fired } of alerts) {
    const actions = (created || fired.length ? fired : alert.actions).map((a) => `${a.action}: ${a.detail}`);
    const head = style.red(`  ALERT #${alert.id}`) + ` ${alert.kind} · ${alert.message}`;
    lines.push(head + (created ? '' : style.dim(' (raised before)')));
    if (actions.length) lines.push(`              ${created || fired.length ? '→ ' : style.dim('already: ')}${actions.join(' · ')}`);
  }
  for (const note of report.notes) {
    if (printedNotes.has(note)) continue;
    printedNotes.add(note);
    lines.push(style.dim(`  note        ${note}`));
  }
  return lines.join('\n');
}

/** "2 of 15 features fired: fare wasserstein 0.42 > 0.1 · …", else the largest distances. */
function results(all: readonly ComparatorResult[], what: string): string {
  const fired = all.filter((r) => r.fired);
  const features = new Set(all.map((r) => r.feature)).size;
  if (fired.length) {
    const shown = fired.slice(0, SHOWN_RESULTS).map((r) => style.red(comparatorMessage(r)));
    return `${new Set(fired.map((r) => r.feature)).size} of ${features} ${what} drifted: ${shown.join(' · ')}${fired.length > SHOWN_RESULTS ? ` · …` : ''}`;
  }
  return style.green(`none of ${features} ${what} drifted`);
}

function metrics({ task, online, offline }: NonNullable<WindowReport['metrics']>, bounded: string[]): string {
  const names = [...new Set([...bounded, ...HEADLINE[task]])].filter((m) => online[m] !== undefined);
  return names
    .map((m) => {
      const value = online[m];
      const base = offline?.[m];
      if (value === null) return `${m} –`;
      const against = base === undefined || base === null ? '' : ` (offline ${shortNumber(base)}, ${shortNumber(value - base, true)})`;
      return `${m} ${shortNumber(value)}${against}`;
    })
    .join(' · ');
}

export function renderMalformed(malformed: readonly MalformedLine[]): string {
  const shown = malformed.slice(0, 3).map((m) => `${path.relative(process.cwd(), m.file) || m.file}:${m.line}: ${m.reason}`);
  return style.yellow(
    `${malformed.length} malformed log line${malformed.length === 1 ? '' : 's'} skipped: ${shown.join('; ')}${malformed.length > 3 ? '; …' : ''}`,
  );
}
