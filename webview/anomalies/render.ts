import { groupKey, type AnomaliesView, type AnomalyGroupView, type AnomalyItemView } from '../../src/shared/anomalies';
import { emptyState, h, icon, pageHeader } from '../common/dom';

export interface RenderActions {
  goToSchema(feature: string | null): void;
  applyFix(anomaly: number, fix: number): void;
  isCollapsed(key: string): boolean;
  setCollapsed(key: string, collapsed: boolean): void;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function renderAnomalies(v: AnomaliesView, actions: RenderActions): HTMLElement {
  return h(
    'div',
    { class: 'anomalies' },
    header(v, actions),
    v.groups.length === 0
      ? h('p', { class: 'all-clear', testid: 'no-anomalies' }, icon('pass-filled', 'ok'), ' No anomalies: the data matches the schema.')
      : v.groups.map((g) => group(g, actions)),
  );
}

export function renderNotFound(message: string): HTMLElement {
  return emptyState('anomalies-not-found', message);
}

function header(v: AnomaliesView, actions: RenderActions): HTMLElement {
  return pageHeader(
    { title: `Anomalies · Run #${v.runId}`, testid: 'anomalies-title', ruled: true },
    h(
      'p',
      { class: 'subtitle' },
      h('span', null, v.pipeline),
      v.environment ? ` · environment ${v.environment}` : null,
      ' · schema ',
      v.schemaFile
        ? h(
            'a',
            { attrs: { href: '#', role: 'button' }, title: 'Open the schema file', on: { click: (e) => (e.preventDefault(), actions.goToSchema(null)) } },
            v.schemaFile,
          )
        : h('span', { class: 'muted' }, 'unknown'),
    ),
    h(
      'p',
      { class: 'counts', testid: 'anomalies-counts' },
      h('span', { class: v.errors ? 'sev-error' : 'muted' }, icon('error'), ` ${plural(v.errors, 'error')}`),
      h('span', { class: v.warnings ? 'sev-warning' : 'muted' }, icon('warning'), ` ${plural(v.warnings, 'warning')}`),
      v.comparators.total
        ? h(
            'span',
            { class: v.comparators.fired ? 'sev-error' : 'muted' },
            icon('pulse'),
            ` ${v.comparators.fired} of ${plural(v.comparators.total, 'drift/skew check')} fired`,
          )
        : null,
    ),
  );
}

function group(g: AnomalyGroupView, actions: RenderActions): HTMLElement {
  const key = groupKey(g);
  const heading = g.feature ?? 'Dataset';
  return h(
    'vscode-collapsible',
    {
      class: `group sev-${g.severity}`,
      testid: `group-${g.feature ?? '(dataset)'}-${g.severity}`,
      attrs: { heading, description: g.severity === 'error' ? 'errors' : 'warnings', open: !actions.isCollapsed(key) },
      on: { 'vsc-collapsible-toggle': (e) => actions.setCollapsed(key, !(e as CustomEvent<{ open: boolean }>).detail.open) },
    },
    h('vscode-badge', { attrs: { slot: 'decorations', variant: 'counter' } }, g.anomalies.length),
    h(
      'div',
      { class: 'group-body' },
      g.anomalies.map((a) => anomaly(a, actions)),
      g.canGoToSchema
        ? h(
            'vscode-button',
            {
              class: 'goto',
              testid: `goto-${g.feature ?? '(dataset)'}`,
              attrs: { secondary: true, icon: 'go-to-file' },
              title: g.feature ? `Open the schema at features.${g.feature}` : 'Open the pipeline file at its data',
              on: { click: () => actions.goToSchema(g.feature) },
            },
            'Go to schema entry',
          )
        : h('p', { class: 'muted' }, 'Not in the schema file.'),
    ),
  );
}

function anomaly(a: AnomalyItemView, actions: RenderActions): HTMLElement {
  return h(
    'section',
    { class: `anomaly sev-${a.severity}`, testid: `anomaly-${a.index}` },
    h(
      'div',
      { class: 'anomaly-head' },
      icon(a.severity === 'error' ? 'error' : 'warning', 'sev-icon'),
      h('strong', null, a.shortDescription),
      h('code', { class: 'type' }, a.type),
      h('span', { class: 'dataset', title: 'Dataset' }, icon('database'), ` ${a.dataset}`),
    ),
    h('p', { class: 'description' }, a.description),
    a.fixes.length
      ? h(
          'div',
          { class: 'fixes' },
          a.fixes.map((f, i) =>
            f.applied
              ? h('span', { class: 'applied', testid: `fix-${a.index}-${i}` }, icon('check'), ` ${f.title} (in the schema)`)
              : h(
                  'vscode-button',
                  {
                    testid: `fix-${a.index}-${i}`,
                    attrs: { icon: 'lightbulb-autofix' },
                    title: 'Edit the schema file (undo with Ctrl+Z)',
                    on: { click: () => actions.applyFix(a.index, i) },
                  },
                  f.title,
                ),
          ),
        )
      : null,
  );
}
