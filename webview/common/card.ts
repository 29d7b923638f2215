import { h } from './dom';

/** A titled chart with its export buttons and optional controls (selects) in the heading. */
export function card(
  title: string,
  name: string,
  chart: HTMLElement,
  exportImage: (format: 'svg' | 'png') => void,
  controls?: HTMLElement | null,
): HTMLElement {
  const button = (format: 'svg' | 'png') =>
    h(
      'vscode-button',
      {
        testid: `export-${format}-${name}`,
        title: `Save the chart as ${format.toUpperCase()}`,
        attrs: { secondary: true, icon: 'file-media' },
        on: { click: () => exportImage(format) },
      },
      format.toUpperCase(),
    );
  return h(
    'article',
    { class: 'chart-card', testid: `card-${name}` },
    h('div', { class: 'chart-head' }, h('h2', null, title), controls ?? null, h('span', { class: 'spacer' }), button('svg'), button('png')),
    chart,
  );
}

export interface Choice {
  value: string;
  label: string;
  description?: string;
}

export function select(testid: string, label: string, choices: Choice[], value: string, onChange: (value: string) => void): HTMLElement {
  return h(
    'label',
    { class: 'field' },
    h('span', null, label),
    h(
      'vscode-single-select',
      {
        testid,
        class: 'select',
        attrs: { 'aria-label': label },
        on: { change: (e) => onChange((e.target as HTMLElement & { value: string }).value) },
      },
      choices.map((c) => h('vscode-option', { attrs: { value: c.value, selected: c.value === value, description: c.description } }, c.label)),
    ),
  );
}

export interface ToolbarOptions {
  onlyDiffering: boolean;
  onOnlyDiffering(on: boolean): void;
  exportCsv(): void;
}

export function toolbar(o: ToolbarOptions): HTMLElement {
  return h(
    'div',
    { class: 'toolbar' },
    h(
      'vscode-checkbox',
      {
        testid: 'only-differing',
        attrs: { checked: o.onlyDiffering },
        on: { change: (e) => o.onOnlyDiffering((e.target as HTMLElement & { checked: boolean }).checked) },
      },
      'Only what differs (parameters and metrics)',
    ),
    h('span', { class: 'legend' }, h('span', { class: 'codicon codicon-star-full best-icon', attrs: { 'aria-hidden': 'true' } }), ' best value per metric'),
    h('span', { class: 'spacer' }),
    h(
      'vscode-button',
      { testid: 'export-csv', title: 'Save the table (as sorted and filtered) as CSV', attrs: { secondary: true, icon: 'table' }, on: { click: o.exportCsv } },
      'Export CSV',
    ),
  );
}
