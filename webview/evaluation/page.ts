import type { EvaluationState, EvaluationView, MetricDirection } from '../../src/shared/evaluation';
import { baselineChange } from '../../src/shared/evaluationView';
import { formatMetric } from '../../src/core/util/format';
import type { ChartPage } from '../common/drawn';
import { h, icon } from '../common/dom';

/** What each tab needs of the page: the view, the saved choices, the charts, a way to report. */
export interface Page extends ChartPage<EvaluationView, EvaluationState> {
  exportImage(name: string, format: 'svg' | 'png'): void;
  /** Something the tests look at changed (rows, the confusion counts): report soon. */
  changed(): void;
  /** Builds the current tab again (a choice that changes all of it, like the plotted slice). */
  rebuild(): void;
}

export function metricValue(v: number | null | undefined): string {
  return typeof v === 'number' ? formatMetric(v) : '–';
}

const VERDICT_TEXT = { better: 'better', worse: 'worse', same: 'unchanged', neutral: 'no better side' } as const;

/**
 * An arrow against the baseline: up or down by the change's sign, coloured by whether that is
 * better for the metric (nothing when there is no baseline value).
 */
export function changeMark(
  value: number | null | undefined,
  baseline: number | null | undefined,
  direction: MetricDirection,
  testid?: string,
): HTMLElement | null {
  const change = baselineChange(value, baseline, direction);
  if (!change) return null;
  const arrow = change.delta > 0 ? 'arrow-up' : change.delta < 0 ? 'arrow-down' : 'dash';
  const sign = change.delta > 0 ? '+' : change.delta < 0 ? '−' : '±';
  return h(
    'span',
    {
      class: `change verdict-${change.verdict}`,
      testid,
      title: `${sign}${formatMetric(Math.abs(change.delta))} against the baseline (${formatMetric(baseline as number)}): ${VERDICT_TEXT[change.verdict]}`,
      attrs: { 'data-verdict': change.verdict },
    },
    icon(arrow),
    `${sign}${formatMetric(Math.abs(change.delta))}`,
  );
}

export function intervalText(interval: [number, number] | undefined): string | null {
  return interval ? `${formatMetric(interval[0])} – ${formatMetric(interval[1])}` : null;
}

export { note } from '../common/dom';

/** A titled card like the charts' (../compare/render `card`), for content that is not a chart to export. */
export function section(title: string, name: string, body: HTMLElement, controls?: HTMLElement): HTMLElement {
  return h('article', { class: 'chart-card', testid: `card-${name}` }, h('div', { class: 'chart-head' }, h('h2', null, title), controls ?? null), body);
}
