import type { EvaluationView, ThresholdCheck } from '../../src/shared/evaluation';
import { formatMetric } from '../../src/core/util/format';
import { dataTable, h, icon } from '../common/dom';
import { metricValue, note } from './page';

const OUTCOME_ICON = { passed: 'pass', failed: 'error', skipped: 'circle-slash' } as const;

/** The bound a check holds the value to: `0.7 ≤ v ≤ 1`, or the change bounds and their direction. */
export function boundText(c: ThresholdCheck): string {
  if (c.kind === 'value') {
    const lower = c.lower !== undefined ? `${formatMetric(c.lower)} ≤ ` : '';
    const upper = c.upper !== undefined ? ` ≤ ${formatMetric(c.upper)}` : '';
    return `${lower}${c.metric}${upper}`;
  }
  const parts = [
    c.absolute !== undefined ? `absolute ${formatMetric(c.absolute)}` : null,
    c.relative !== undefined ? `relative ${formatMetric(c.relative)}` : null,
  ].filter(Boolean);
  return `change ${parts.join(', ')}${c.direction ? ` (${c.direction} is better)` : ''}`;
}

/** Every threshold check: passed, failed or skipped, its value, bound, baseline and reason. */
export function blessingTab(v: EvaluationView): HTMLElement {
  const b = v.report.blessing;
  const count = (o: ThresholdCheck['outcome']) => b.checks.filter((c) => c.outcome === o).length;
  const banner = h(
    'div',
    { class: `blessing-banner ${b.blessed ? 'blessed' : 'not-blessed'}`, testid: 'blessing' },
    icon(b.blessed ? 'verified-filled' : 'error'),
    h(
      'div',
      null,
      h('strong', { testid: 'blessing-verdict' }, verdictText(v)),
      h(
        'p',
        { class: 'subtitle' },
        `${count('passed')} passed · ${count('failed')} failed · ${count('skipped')} skipped`,
        b.baseline ? ` · change thresholds against ${b.baseline}` : ' · no baseline',
      ),
    ),
  );
  if (!b.checks.length)
    return h(
      'section',
      null,
      banner,
      note('no-checks', 'No thresholds are configured: every evaluated model is blessed. Add `evaluate.thresholds` to gate it.'),
    );
  const rows = b.checks.map((c, i) =>
    h(
      'tr',
      { class: `check outcome-${c.outcome}`, testid: `check-${i}`, attrs: { 'data-outcome': c.outcome } },
      h('td', { class: 'outcome' }, icon(OUTCOME_ICON[c.outcome]), c.outcome),
      h('td', null, c.metric),
      h('td', null, c.slice),
      h('td', null, c.kind),
      h('td', { class: 'num' }, metricValue(c.value)),
      h('td', null, boundText(c)),
      h(
        'td',
        { class: 'num' },
        c.kind === 'change'
          ? `${metricValue(c.baseline)} → ${c.change === null || c.change === undefined ? '–' : (c.change > 0 ? '+' : '') + formatMetric(c.change)}`
          : '',
      ),
      h('td', { class: 'reason' }, c.reason),
    ),
  );
  return h('section', null, banner, dataTable('checks', ['Outcome', 'Metric', 'Slice', 'Kind', 'Value', 'Bound', 'Baseline → change', 'Reason'], rows));
}

/** What the verdict means for this model now: a version already serving in production is not "to be pushed". */
function verdictText(v: EvaluationView): string {
  const blessed = v.report.blessing.blessed;
  const r = v.registered;
  if (r?.inProduction) return `${blessed ? 'Blessed' : 'Not blessed'}, and in production now as ${r.model} v${r.version}.`;
  const aliases = r?.aliases.length ? ` ${r.model} v${r.version} is ${r.aliases.join(' and ')}.` : '';
  return (blessed ? 'Blessed: the model may be pushed.' : 'Not blessed: a threshold failed, so the model is not pushed (unless forced).') + aliases;
}
