// Only the elements this page uses: each import registers one custom element.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '../common/panel.css';
import './style.css';
import { isAnomaliesState, isAnomaliesToWebviewMessage } from '../../src/shared/anomalies';
import type { AnomaliesToWebviewMessage, AnomaliesFromWebviewMessage, AnomaliesState, AnomaliesView } from '../../src/shared/anomalies';
import { startPage } from '../common/boot';
import { RunPageState } from '../common/pageState';
import { renderAnomalies, renderNotFound, type RenderActions } from './render';

const app = document.getElementById('app')!;

// The run comes from the page (set by the extension) or, after a reload, from the saved state.
const page = new RunPageState<AnomaliesState>(isAnomaliesState);

const save = (patch: Partial<AnomaliesState>): void => page.save(patch);

const actions: RenderActions = {
  goToSchema: (feature) => post({ type: 'goToSchema', payload: { feature } }),
  applyFix: (anomaly, fix) => post({ type: 'applyFix', payload: { anomaly, fix } }),
  isCollapsed: (key) => page.state.collapsed?.includes(key) ?? false,
  setCollapsed: (key, collapsed) => {
    const rest = (page.state.collapsed ?? []).filter((k) => k !== key);
    save({ collapsed: collapsed ? [...rest, key] : rest });
  },
};

function show(view: AnomaliesView): void {
  // Keep the reader's place: a fix re-renders the page with the same groups.
  const y = window.scrollY;
  app.replaceChildren(renderAnomalies(view, actions));
  window.scrollTo(0, y);
}

const { post } = startPage<AnomaliesToWebviewMessage, AnomaliesFromWebviewMessage>({
  isMessage: isAnomaliesToWebviewMessage,
  onMessage: (message) => {
    switch (message.type) {
      case 'anomalies':
        save({ view: message.payload });
        show(message.payload);
        break;
      case 'notFound':
        save({ view: undefined });
        app.replaceChildren(renderNotFound(message.payload.message));
        break;
    }
  },
});

if (page.state.view) show(page.state.view);
post({ type: 'ready', payload: { runId: page.state.runId || null } });
