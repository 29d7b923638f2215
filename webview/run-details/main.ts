// Only the elements this page uses: each import registers one custom element.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-table/index.js';
import '@vscode-elements/elements/dist/vscode-table-body/index.js';
import '@vscode-elements/elements/dist/vscode-table-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-header/index.js';
import '@vscode-elements/elements/dist/vscode-table-header-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-row/index.js';
import '../common/panel.css';
import './style.css';
import { isRunDetailsState, isToWebviewMessage } from '../../src/shared/runDetails';
import type { FromWebviewMessage, ToWebviewMessage, RunDetailsState, RunDetailsView } from '../../src/shared/runDetails';
import { formatDuration } from '../../src/core/util/format';
import { renderNotFound, renderRun, type RenderActions } from './render';
import { applyColumnWidths } from './table';
import { startPage } from '../common/boot';
import { RunPageState } from '../common/pageState';

const app = document.getElementById('app')!;

// The run comes from the page (set by the extension) or, after a reload, from the saved state.
const page = new RunPageState<RunDetailsState>(isRunDetailsState);

const actions: RenderActions = {
  openArtifact: (artifactId) => post({ type: 'openArtifact', payload: { artifactId } }),
  revealArtifact: (artifactId) => post({ type: 'revealArtifact', payload: { artifactId } }),
  openPipelineFile: () => post({ type: 'openPipelineFile', payload: {} }),
  isCollapsed: (section) => page.state.collapsed?.includes(section) ?? false,
  setCollapsed: (section, collapsed) => {
    const rest = (page.state.collapsed ?? []).filter((s) => s !== section);
    save({ collapsed: collapsed ? [...rest, section] : rest });
  },
};

const save = (patch: Partial<RunDetailsState>): void => page.save(patch);

/** Keeps a running run's duration moving between updates from the extension. */
let ticker: number | undefined;

function show(details: RunDetailsView): void {
  // Times are compared with the extension's clock (takenAt), not this page's: in a remote window
  // the browser's clock can differ from the machine that runs the pipeline.
  const receivedAt = Date.now();
  const now = () => details.takenAt + (Date.now() - receivedAt);
  app.replaceChildren(renderRun(details, now(), actions));
  applyColumnWidths(app);
  window.clearInterval(ticker);
  ticker = undefined;
  if (details.run.status !== 'running') return;
  ticker = window.setInterval(() => {
    const el = app.querySelector('[data-testid="run-duration"]');
    if (el) el.textContent = formatDuration(now() - details.run.startedAt);
  }, 1000);
}

// Problems inside the page reach the extension's log, where a user reporting a bug can find them.
const { post } = startPage<ToWebviewMessage, FromWebviewMessage>({
  isMessage: isToWebviewMessage,
  onMessage: (message) => {
    switch (message.type) {
      case 'details':
        save({ details: message.payload });
        show(message.payload);
        break;
      case 'notFound':
        save({ details: undefined });
        window.clearInterval(ticker);
        app.replaceChildren(renderNotFound(message.payload.message));
        break;
    }
  },
});

// Shown at once from the saved state when the panel comes back; fresh data follows the handshake.
if (page.state.details) show(page.state.details);
post({ type: 'ready', payload: { runId: page.state.runId || null } });
