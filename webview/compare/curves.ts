import type { CompareView, CurvesData } from '../../src/shared/compare';
import { h } from '../common/dom';
import type { DrawnCharts } from '../common/drawn';
import { curveRows, curveSpec } from './plots';
import { card } from '../common/card';

/** Curve charts asked for with the page; the others wait until scrolled near. */
const EAGER_CURVES = 4;

/**
 * The overlaid curves, one chart per metric. The extension reads a metric's curves of every run only
 * when its chart is wanted, so a comparison with fifty metrics and two hundred runs sends what is seen.
 */
export class CurveCharts {
  private readonly elements = new Map<string, HTMLElement>();
  private readonly requested = new Set<string>();
  private readonly observer = new IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        const key = (e.target as HTMLElement).dataset.metric;
        if (e.isIntersecting && key) this.request(key);
      }
    },
    { rootMargin: '200px 0px' },
  );
  private view: CompareView | undefined;

  constructor(
    private readonly charts: DrawnCharts,
    private readonly ask: (key: string) => void,
    private readonly exportImage: (name: string, format: 'svg' | 'png') => void,
  ) {}

  /** The section for a view, the objective's curve first; null when no metric is a curve. */
  section(v: CompareView, objective: string | undefined): HTMLElement | null {
    this.view = v;
    this.observer.disconnect();
    this.elements.clear();
    this.requested.clear();
    if (!v.curves.length) return null;
    const keys = objective && v.curves.includes(objective) ? [objective, ...v.curves.filter((k) => k !== objective)] : v.curves;
    return h(
      'section',
      { class: 'curves' },
      h('h2', null, 'Curves', h('span', { class: 'muted' }, ` · one colour per run, at most ${v.curveBudget.toLocaleString('en-US')} points each`)),
      h(
        'div',
        { class: 'chart-grid' },
        keys.map((key, i) => {
          const el = h('div', { class: 'chart', testid: `curve-${key}`, attrs: { 'data-metric': key } }, h('p', { class: 'muted loading' }, 'Loading…'));
          this.elements.set(key, el);
          if (i < EAGER_CURVES) this.request(key);
          else this.observer.observe(el);
          return card(key, `curve-${key}`, el, (f) => this.exportImage(`curve-${key}`, f));
        }),
      ),
    );
  }

  show(data: CurvesData): void {
    const el = this.elements.get(data.key);
    if (!this.view || !el) return;
    if (!data.runs.length) {
      el.replaceChildren(h('p', { class: 'muted' }, 'No points.'));
      return;
    }
    el.replaceChildren();
    void this.charts.draw(`curve-${data.key}`, el, curveSpec(this.view, data.key), { curves: curveRows(data) });
  }

  private request(key: string): void {
    if (this.requested.has(key)) return;
    this.requested.add(key);
    this.ask(key);
  }
}
