import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import './style.css';
import { driftStateOf, isDriftToWebviewMessage, type DriftFromWebviewMessage, type DriftToWebviewMessage, type DriftState } from '../../src/shared/drift';
import { startPage } from '../common/boot';
import { vscodeApi } from '../common/vscodeApi';
import { renderDrift, renderEmpty, type RenderActions } from './render';

const vscode = vscodeApi<DriftState>();
const app = document.getElementById('app')!;

let state: DriftState = driftStateOf(vscode.getState()) ?? {};

const actions: RenderActions = {
  compare: (r) => post({ type: 'compare', payload: { feature: r.feature, kind: r.kind } }),
  pickPipeline: (pipeline) => post({ type: 'pickPipeline', payload: { pipeline } }),
  openAnomalies: (runId) => post({ type: 'openAnomalies', payload: { runId } }),
  openMonitoring: (model) => post({ type: 'openMonitoring', payload: { model } }),
};

function render(): void {
  if (state.view) app.replaceChildren(renderDrift(state.view, actions));
  else if (state.empty !== undefined) app.replaceChildren(renderEmpty(state.empty));
}

const { post } = startPage<DriftToWebviewMessage, DriftFromWebviewMessage>({
  isMessage: isDriftToWebviewMessage,
  onMessage: (message) => {
    state = message.type === 'drift' ? { view: message.payload } : { empty: message.payload.message };
    vscode.setState(state);
    render();
  },
});

// The last data at once when the view comes back; fresh data follows the handshake.
render();
post({ type: 'ready', payload: {} });
