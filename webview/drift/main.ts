import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import './style.css';
import {
  DriftFromWebviewType,
  DriftToWebviewType,
  driftStateOf,
  isDriftToWebviewMessage,
  type DriftFromWebviewMessage,
  type DriftState,
} from '../../src/shared/drift';
import { vscodeApi } from '../run-details/vscodeApi';
import { renderDrift, renderEmpty, type RenderActions } from './render';

const vscode = vscodeApi<DriftState>();
const app = document.getElementById('app')!;

function post(message: DriftFromWebviewMessage): void {
  vscode.postMessage(message);
}

let state: DriftState = driftStateOf(vscode.getState()) ?? {};

const actions: RenderActions = {
  compare: (r) => post({ type: DriftFromWebviewType.Compare, payload: { feature: r.feature, kind: r.kind } }),
  pickPipeline: (pipeline) => post({ type: DriftFromWebviewType.PickPipeline, payload: { pipeline } }),
  openAnomalies: (runId) => post({ type: DriftFromWebviewType.OpenAnomalies, payload: { runId } }),
  openMonitoring: (model) => post({ type: DriftFromWebviewType.OpenMonitoring, payload: { model } }),
};

function render(): void {
  if (state.view) app.replaceChildren(renderDrift(state.view, actions));
  else if (state.empty !== undefined) app.replaceChildren(renderEmpty(state.empty));
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (!isDriftToWebviewMessage(message)) {
    post({ type: DriftFromWebviewType.Log, payload: { level: 'warn', message: `ignored an invalid message: ${JSON.stringify(message)?.slice(0, 200)}` } });
    return;
  }
  state = message.type === DriftToWebviewType.Drift ? { view: message.payload } : { empty: message.payload.message };
  vscode.setState(state);
  render();
});

window.addEventListener('error', (e) =>
  post({ type: DriftFromWebviewType.Log, payload: { level: 'error', message: `${e.message} (${e.filename}:${e.lineno})` } }),
);
document.addEventListener('securitypolicyviolation', (e) =>
  post({ type: DriftFromWebviewType.Log, payload: { level: 'warn', message: `CSP blocked ${e.effectiveDirective}: ${e.blockedURI || 'inline'}` } }),
);

// The last data at once when the view comes back; fresh data follows the handshake.
render();
post({ type: DriftFromWebviewType.Ready, payload: {} });
