import type { MonitoringView, ServingInfo } from '../../src/shared/monitoring';
import { formatRelativeTime } from '../../src/core/util/format';
import { select } from '../common/card';
import { h, icon, pageHeader } from '../common/dom';

export interface HeaderActions {
  pickModel(model: string): void;
  startServing(): void;
  stopServing(): void;
  sendTestRequest(): void;
}

function button(testid: string, label: string, iconName: string, onClick: () => void, secondary = false): HTMLElement {
  return h('vscode-button', { testid, attrs: { icon: iconName, secondary }, on: { click: onClick } }, label);
}

/** What the server this window started for the model is doing, with the buttons that make sense now. */
export function servingLine(serving: ServingInfo | null, a: HeaderActions): HTMLElement {
  const now = Date.now();
  const state = (cls: string, iconName: string, ...text: (string | HTMLElement)[]) =>
    h('span', { class: `serving-state ${cls}`, testid: 'serving-state', attrs: { 'data-state': serving?.state ?? 'none' } }, icon(iconName), ' ', ...text);
  const start = () => button('start-serving', 'Start Serving', 'play', a.startServing);
  const stop = () => button('stop-serving', 'Stop Serving', 'debug-stop', a.stopServing, true);
  let parts: (HTMLElement | null)[];
  if (!serving) {
    parts = [state('idle', 'circle-outline', 'Not served from this window'), start()];
  } else {
    switch (serving.state) {
      case 'starting':
        parts = [state('starting', 'loading codicon-modifier-spin', 'Starting the server…'), stop()];
        break;
      case 'serving':
        parts = [
          state(
            'serving',
            'broadcast',
            `Serving${serving.version === null ? '' : ` v${serving.version}`} at `,
            h('code', { testid: 'serving-url' }, serving.url ?? '?'),
            ` · since ${formatRelativeTime(serving.startedAt, now)}`,
          ),
          h(
            'span',
            { class: serving.monitoring ? 'monitor-on' : 'monitor-off', testid: 'monitor-state', title: serving.error ?? undefined },
            icon(serving.monitoring ? 'pulse' : 'warning'),
            serving.monitoring ? ' mlops monitor follows its log' : ` monitor not running${serving.error ? `: ${serving.error}` : ''}`,
          ),
          button('send-test-request', 'Send Test Request', 'send', a.sendTestRequest),
          stop(),
        ];
        break;
      case 'stopping':
        parts = [state('stopping', 'loading codicon-modifier-spin', 'Stopping…')];
        break;
      case 'stopped':
        parts = [state('stopped', 'circle-slash', `Stopped${serving.error ? `: ${serving.error}` : ''}`), start()];
        break;
      case 'failed':
        parts = [state('failed', 'error', `Failed${serving.error ? `: ${serving.error}` : ''}`), start()];
        break;
    }
  }
  return h('div', { class: 'serving-line', testid: 'serving' }, ...parts);
}

/** Model (a picker), production version, serving state and the monitor settings. */
export function header(v: MonitoringView, a: HeaderActions): HTMLElement {
  const picker = select(
    'model-picker',
    'Model',
    v.models.map((m) => ({ value: m, label: m })),
    v.model,
    (m) => m !== v.model && a.pickModel(m),
  );
  return pageHeader(
    {
      title: 'Monitoring',
      testid: 'monitoring-title',
      beside: [
        picker,
        h(
          'span',
          { class: 'production', testid: 'production' },
          v.production === null ? h('span', { class: 'muted' }, 'no production version') : ['production ', h('strong', null, `v${v.production}`)],
        ),
      ],
    },
    servingLine(v.serving, a),
    h(
      'p',
      { class: 'subtitle', testid: 'settings' },
      icon('settings-gear'),
      ' ',
      v.settings ?? 'Monitor settings unknown: the pipeline that trained the version cannot be read (see the MLOps log).',
    ),
  );
}
