import { elapsed, formatBytes, formatDuration, formatMetric, formatRelativeTime, formatTimestamp, shortHash } from '../../src/core/util/format';
import type { RunDetailsView } from '../../src/shared/runDetails';
import { emptyState, h, icon, pageHeader } from '../common/dom';
import { facts, table } from './table';

type Execution = RunDetailsView['executions'][number];
type Artifact = RunDetailsView['artifacts'][number];

export interface RenderActions {
  openArtifact(id: number): void;
  revealArtifact(id: number): void;
  openPipelineFile(): void;
  isCollapsed(section: string): boolean;
  setCollapsed(section: string, collapsed: boolean): void;
}

const STATUS_ICON: Record<string, string> = {
  running: 'sync',
  complete: 'pass',
  cached: 'pass-filled',
  failed: 'error',
  canceled: 'circle-slash',
  interrupted: 'warning',
  new: 'circle-outline',
};

function statusIcon(status: string): HTMLElement {
  return icon(STATUS_ICON[status] ?? 'question', `status-icon status-${status}${status === 'running' ? ' codicon-modifier-spin' : ''}`);
}

/** The whole page for one run. `now` ticks while a run is running. */
export function renderRun(v: RunDetailsView, now: number, actions: RenderActions): HTMLElement {
  return h(
    'div',
    { class: 'run' },
    header(v, now, actions),
    v.run.error ? errorBanner(v) : null,
    section('overview', 'Run', null, overview(v), actions),
    section('params', 'Parameters', v.params.length, params(v), actions),
    section('metrics', 'Metrics', v.metrics.length, metrics(v), actions),
    section('executions', 'Executions', v.executions.length, executions(v, now), actions),
    section('artifacts', 'Artifacts', v.artifacts.length, artifacts(v, actions), actions),
    v.tags.length ? section('tags', 'Tags', v.tags.length, tags(v), actions) : null,
  );
}

export function renderNotFound(message: string): HTMLElement {
  return emptyState('run-not-found', message);
}

function header(v: RunDetailsView, now: number, actions: RenderActions): HTMLElement {
  const r = v.run;
  const duration = elapsed(r.startedAt, r.endedAt, now);
  return pageHeader(
    {
      title: `Run #${r.id}`,
      testid: 'run-title',
      ruled: true,
      beside: [h('span', { class: `status-pill status-${r.status}` }, statusIcon(r.status), h('span', { testid: 'run-status' }, r.status))],
    },
    h(
      'p',
      { class: 'subtitle' },
      h('span', { testid: 'run-pipeline' }, r.pipeline),
      ' · ',
      h(
        'a',
        { attrs: { href: '#', role: 'button' }, title: 'Open the pipeline file', on: { click: (e) => (e.preventDefault(), actions.openPipelineFile()) } },
        r.pipelineFile,
      ),
      r.component ? ` · only ${r.component} (and what it needs)` : null,
      ' · started ',
      h('span', { title: formatTimestamp(r.startedAt) }, formatRelativeTime(r.startedAt, now)),
      ' · ',
      h('span', { testid: 'run-duration', class: 'duration' }, duration === undefined ? '–' : formatDuration(duration)),
    ),
  );
}

function errorBanner(v: RunDetailsView): HTMLElement {
  const failed = v.executions.find((e) => e.status === 'failed');
  return h(
    'div',
    { class: `error-banner status-${v.run.status}`, testid: 'run-error', attrs: { role: 'alert' } },
    icon(v.run.status === 'failed' ? 'error' : 'warning'),
    h('div', null, h('strong', null, failed ? `${failed.component} failed` : `Run ${v.run.status}`), h('pre', { class: 'error-text' }, v.run.error ?? '')),
  );
}

function section(id: string, heading: string, count: number | null, body: HTMLElement, actions: RenderActions): HTMLElement {
  return h(
    'vscode-collapsible',
    {
      class: 'section',
      testid: `section-${id}`,
      attrs: { heading, open: !actions.isCollapsed(id) },
      on: { 'vsc-collapsible-toggle': (e) => actions.setCollapsed(id, !(e as CustomEvent<{ open: boolean }>).detail.open) },
    },
    count === null ? null : h('vscode-badge', { attrs: { slot: 'decorations', variant: 'counter' } }, count),
    h('div', { class: 'section-body' }, body),
  );
}

function overview(v: RunDetailsView): HTMLElement {
  const r = v.run;
  const code = (s: string, title?: string) => h('code', { title }, s);
  return facts([
    ['Pipeline', r.pipeline],
    ['Pipeline file', r.pipelineFile],
    ['File hash', code(shortHash(r.pipelineHash, 16), r.pipelineHash)],
    ['Started', formatTimestamp(r.startedAt)],
    ['Ended', r.endedAt ? formatTimestamp(r.endedAt) : r.status === 'running' ? 'still running' : '–'],
    [
      'Git commit',
      r.gitCommit
        ? h('span', null, code(r.gitCommit.slice(0, 12), r.gitCommit), r.gitDirty ? h('span', { class: 'dirty' }, ' with uncommitted changes') : '')
        : 'not a git repository',
    ],
    ['Tool version', r.toolVersion],
    ['Seed', r.seed === null ? '–' : String(r.seed)],
    ['TensorFlow.js backend', r.tfjsBackend ?? '–'],
    ['Host', r.hostname ?? '–'],
  ]);
}

function empty(text: string): HTMLElement {
  return h('p', { class: 'empty' }, text);
}

function params(v: RunDetailsView): HTMLElement {
  if (!v.params.length) return empty('No parameters recorded.');
  return table(
    ['Parameter', 'Value'],
    v.params.map((p) => ({ testid: `param-${p.key}`, cells: [p.key, h('code', null, p.value)] })),
    ['40%', '60%'],
  );
}

function metrics(v: RunDetailsView): HTMLElement {
  if (!v.metrics.length) return empty('No metrics recorded.');
  return table(
    ['Metric', 'Value', 'Step', 'Points', 'Component'],
    v.metrics.map((m) => ({
      testid: `metric-${m.key}`,
      cells: [m.key, h('span', { class: 'num', title: String(m.value) }, formatMetric(m.value)), String(m.step), String(m.points), m.component ?? '–'],
    })),
    ['30%', '20%', '12%', '12%', '26%'],
  );
}

function executions(v: RunDetailsView, now: number): HTMLElement {
  if (!v.executions.length) return empty('No component has started yet.');
  const start = v.run.startedAt;
  const end = Math.max(v.run.endedAt ?? now, ...v.executions.map((e) => e.endedAt ?? (e.startedAt !== null ? now : 0)));
  const span = Math.max(end - start, 1);
  return table(
    ['Component', 'Status', 'Started', 'Duration', 'Timeline'],
    v.executions.map((e) => ({
      testid: `execution-${e.component}`,
      cells: [
        h('span', { title: e.type }, e.component),
        h('span', { class: `status-text status-${e.status}` }, statusIcon(e.status), ` ${e.status}`),
        e.startedAt === null ? '–' : `+${formatDuration(e.startedAt - start)}`,
        executionDuration(e, now),
        timelineBar(e, start, span, now),
      ],
    })),
    ['20%', '16%', '14%', '14%', '36%'],
  );
}

function executionDuration(e: Execution, now: number): HTMLElement | string {
  const d = elapsed(e.startedAt, e.endedAt, now);
  const text = d === undefined ? '–' : formatDuration(d);
  return e.error ? h('span', { title: e.error }, text, ' ', icon('info')) : text;
}

/** A Gantt-style bar; positions are set through CSSOM, which the CSP allows (style attributes it would not). */
function timelineBar(e: Execution, start: number, span: number, now: number): HTMLElement {
  const track = h('div', { class: 'timeline-track', attrs: { 'aria-hidden': 'true' } });
  if (e.startedAt === null) return track;
  const bar = h('div', { class: `timeline-bar status-${e.status}` });
  const left = ((e.startedAt - start) / span) * 100;
  const width = (((e.endedAt ?? now) - e.startedAt) / span) * 100;
  bar.style.left = `${Math.min(Math.max(left, 0), 100)}%`;
  bar.style.width = `${Math.max(Math.min(width, 100 - left), 0.5)}%`;
  track.append(bar);
  return track;
}

function artifacts(v: RunDetailsView, actions: RenderActions): HTMLElement {
  if (!v.artifacts.length) return empty('No artifacts recorded.');
  return table(
    ['Artifact', 'Type', 'Component', 'Size', 'Hash', ''],
    v.artifacts.map((a) => ({
      testid: `artifact-${a.role}-${a.name}`,
      class: a.state === 'live' ? undefined : 'gone',
      cells: [
        h('span', { title: a.path }, h('span', { class: 'artifact-name' }, a.name), h('br', null), h('small', { class: 'path' }, a.path)),
        a.type,
        `${a.component ?? '–'} (${a.role})`,
        formatBytes(a.sizeBytes),
        h('code', { title: a.contentHash ?? '' }, shortHash(a.contentHash)),
        artifactButtons(a, actions),
      ],
    })),
    ['30%', '12%', '18%', '10%', '14%', '16%'],
  );
}

function artifactButtons(a: Artifact, actions: RenderActions): HTMLElement {
  if (a.state !== 'live') return h('span', { class: 'muted' }, a.state);
  return h(
    'div',
    { class: 'buttons' },
    h('vscode-button', { attrs: { secondary: true, icon: 'go-to-file' }, title: `Open ${a.path}`, on: { click: () => actions.openArtifact(a.id) } }, 'Open'),
    h(
      'vscode-button',
      { attrs: { secondary: true, icon: 'folder-opened' }, title: 'Reveal in Explorer', on: { click: () => actions.revealArtifact(a.id) } },
      'Reveal',
    ),
  );
}

function tags(v: RunDetailsView): HTMLElement {
  return table(
    ['Tag', 'Value'],
    v.tags.map((t) => ({ cells: [t.key, t.value] })),
    ['40%', '60%'],
  );
}
