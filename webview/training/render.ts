import { MAX_SMOOTHING, type TrainingView } from '../../src/shared/training';
import { h, pageHeader } from '../common/dom';
import type { LineChart } from './chart';

export function header(v: TrainingView): HTMLElement {
  return pageHeader(
    { title: 'Training curves', testid: 'training-title' },
    h(
      'p',
      { class: 'subtitle' },
      `Run #${v.runId} · ${v.pipeline}`,
      v.parentRunId !== null ? ` · trial of run #${v.parentRunId}` : null,
      ' · ',
      h('span', { class: `status status-${v.status}`, testid: 'run-status' }, v.status),
      v.backend ? ` · tfjs ${v.backend}` : null,
    ),
  );
}

export interface ToolbarOptions {
  smoothing: number;
  logScale: boolean;
  onSmoothing(value: number): void;
  onLogScale(on: boolean): void;
}

export function toolbar(o: ToolbarOptions): HTMLElement {
  const value = h('span', { class: 'smoothing-value', testid: 'smoothing-value' }, o.smoothing.toFixed(2));
  const slider = h('input', {
    testid: 'smoothing',
    attrs: { type: 'range', min: '0', max: String(MAX_SMOOTHING), step: '0.01', 'aria-label': 'Smoothing (exponential moving average weight)' },
    props: { value: String(o.smoothing) },
    on: {
      input: (e) => {
        const v = Number((e.target as HTMLInputElement).value);
        value.textContent = v.toFixed(2);
        o.onSmoothing(v);
      },
    },
  });
  return h(
    'div',
    { class: 'toolbar' },
    h(
      'label',
      { class: 'field', title: 'Exponential moving average, as in TensorBoard; the raw values stay visible, faint' },
      h('span', null, 'Smoothing'),
      slider,
      value,
    ),
    h(
      'vscode-checkbox',
      {
        testid: 'log-scale',
        attrs: { checked: o.logScale },
        on: { change: (e) => o.onLogScale((e.target as HTMLElement & { checked: boolean }).checked) },
      },
      'Log scale',
    ),
    h('span', { class: 'hint' }, 'Drag to pan, scroll to zoom, double-click to reset'),
  );
}

export interface ChartActions {
  exportImage(format: 'svg' | 'png'): void;
  exportCsv(): void;
}

export function chartCard(chart: LineChart, totals: Map<string, number>, budget: number, actions: ChartActions): HTMLElement {
  const button = (label: string, iconName: string, title: string, onClick: () => void, testid: string) =>
    h('vscode-button', { testid, title, attrs: { secondary: true, icon: iconName }, on: { click: onClick } }, label);
  const counts = chart.view.keys.map((k) =>
    h('span', { class: 'count' }, `${k}: `, h('span', { testid: `total-${k}` }, (totals.get(k) ?? 0).toLocaleString('en-US')), ' points'),
  );
  const sampled = chart.view.keys.some((k) => (totals.get(k) ?? 0) > budget);
  return h(
    'article',
    { class: 'chart-card', testid: `card-${chart.view.id}` },
    h(
      'div',
      { class: 'chart-head' },
      h('h2', null, chart.view.id, h('span', { class: 'axis' }, ` by ${chart.view.axis}`)),
      h(
        'span',
        { class: 'counts', title: sampled ? `Drawn with at most ${budget} points per series, keeping every bucket's lowest and highest value` : '' },
        counts,
      ),
      h('span', { class: 'spacer' }),
      button('SVG', 'file-media', 'Save the chart as SVG', () => actions.exportImage('svg'), `export-svg-${chart.view.id}`),
      button('PNG', 'file-media', 'Save the chart as PNG', () => actions.exportImage('png'), `export-png-${chart.view.id}`),
      button('CSV', 'table', 'Save every point of this chart as CSV', actions.exportCsv, `export-csv-${chart.view.id}`),
    ),
    chart.element,
  );
}
