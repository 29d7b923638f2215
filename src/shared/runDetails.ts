/**
 * The run-details panel's message contract, imported by both the extension (runDetails) and
 * the webview (webview/run-details). The extension sends data, the webview renders it; every message
 * is validated on arrival because the other side is a different process that can be out of date
 * (a restored panel from an older build) or simply wrong.
 *
 * Handshake: the webview posts `ready` once its listener is installed; the extension sends nothing
 * before that, so no message is ever lost to a page that is still loading.
 */

import { isObj, isInt, isNum, isStr, isBool, orNull, hasFields, recordsOf } from './guards';
import { isPageLog, type PageLog } from './contract';

export const RUN_DETAILS_VIEW_TYPE = 'mlops.runDetails';

export type RunStatusView = 'running' | 'complete' | 'failed' | 'canceled' | 'interrupted';
export type ExecutionStatusView = 'new' | 'running' | 'complete' | 'failed' | 'cached' | 'canceled';

/** What the panel shows about one run: a plain, serializable view model (not the store records). */
export interface RunDetailsView {
  run: {
    id: number;
    pipeline: string;
    pipelineFile: string;
    status: RunStatusView;
    component: string | null;
    startedAt: number;
    endedAt: number | null;
    error: string | null;
    gitCommit: string | null;
    gitDirty: boolean | null;
    toolVersion: string;
    tfjsBackend: string | null;
    seed: number | null;
    pipelineHash: string;
    hostname: string | null;
  };
  params: { key: string; value: string }[];
  metrics: { key: string; value: number; step: number; points: number; component: string | null }[];
  executions: {
    id: number;
    component: string;
    type: string;
    status: ExecutionStatusView;
    startedAt: number | null;
    endedAt: number | null;
    error: string | null;
  }[];
  artifacts: {
    id: number;
    name: string;
    type: string;
    role: 'input' | 'output';
    component: string | null;
    /** Path as the user reads it: workspace-relative where possible. */
    path: string;
    sizeBytes: number | null;
    contentHash: string | null;
    state: string;
  }[];
  tags: { key: string; value: string }[];
  /** When the snapshot was taken (epoch ms), so the webview can tick a running run's duration. */
  takenAt: number;
}

export const enum ToWebviewType {
  Details = 'details',
  NotFound = 'notFound',
}

export const enum FromWebviewType {
  Ready = 'ready',
  OpenArtifact = 'openArtifact',
  RevealArtifact = 'revealArtifact',
  OpenPipelineFile = 'openPipelineFile',
}

export type ToWebviewMessage =
  { type: ToWebviewType.Details; payload: RunDetailsView } | { type: ToWebviewType.NotFound; payload: { runId: number; message: string } };

/** Artifacts are named by id, never by path: the extension resolves the id against its own data. */
export type FromWebviewMessage =
  | { type: FromWebviewType.Ready; payload: { runId: number | null } }
  | { type: FromWebviewType.OpenArtifact; payload: { artifactId: number } }
  | { type: FromWebviewType.RevealArtifact; payload: { artifactId: number } }
  | { type: FromWebviewType.OpenPipelineFile; payload: Record<string, never> }
  | PageLog;

/** What the webview keeps with `setState`, and what the serializer reopens after a reload. */
export interface RunDetailsState {
  runId: number;
  details?: RunDetailsView;
  /** Sections the user folded (`params`, `metrics`, `executions`, `artifacts`, ...). */
  collapsed?: string[];
}

// ---------------------------------------------------------------------------------------------
// Validation. Hand-written rather than a schema library: the webview bundle stays small and the
// checks read as the contract.

const RUN_STATUSES: readonly string[] = ['running', 'complete', 'failed', 'canceled', 'interrupted'];
const EXECUTION_STATUSES: readonly string[] = ['new', 'running', 'complete', 'failed', 'cached', 'canceled'];

export function isRunDetailsView(v: unknown): v is RunDetailsView {
  return hasFields(v, {
    run: (r) =>
      hasFields(r, {
        id: isInt,
        pipeline: isStr,
        pipelineFile: isStr,
        status: (s) => isStr(s) && RUN_STATUSES.includes(s),
        component: orNull(isStr),
        startedAt: isNum,
        endedAt: orNull(isNum),
        error: orNull(isStr),
        gitCommit: orNull(isStr),
        gitDirty: orNull(isBool),
        toolVersion: isStr,
        tfjsBackend: orNull(isStr),
        seed: orNull(isNum),
        pipelineHash: isStr,
        hostname: orNull(isStr),
      }),
    params: recordsOf({ key: isStr, value: isStr }),
    metrics: recordsOf({ key: isStr, value: isNum, step: isNum, points: isInt, component: orNull(isStr) }),
    executions: recordsOf({
      id: isInt,
      component: isStr,
      type: isStr,
      status: (s) => isStr(s) && EXECUTION_STATUSES.includes(s),
      startedAt: orNull(isNum),
      endedAt: orNull(isNum),
      error: orNull(isStr),
    }),
    artifacts: recordsOf({
      id: isInt,
      name: isStr,
      type: isStr,
      role: (r) => r === 'input' || r === 'output',
      component: orNull(isStr),
      path: isStr,
      sizeBytes: orNull(isNum),
      contentHash: orNull(isStr),
      state: isStr,
    }),
    tags: recordsOf({ key: isStr, value: isStr }),
    takenAt: isNum,
  });
}

export function isToWebviewMessage(m: unknown): m is ToWebviewMessage {
  if (!isObj(m)) return false;
  switch (m.type) {
    case ToWebviewType.Details:
      return isRunDetailsView(m.payload);
    case ToWebviewType.NotFound:
      return hasFields(m.payload, { runId: isInt, message: isStr });
    default:
      return false;
  }
}

export function isFromWebviewMessage(m: unknown): m is FromWebviewMessage {
  if (!isObj(m)) return false;
  if (isPageLog(m)) return true;
  switch (m.type) {
    case FromWebviewType.Ready:
      return hasFields(m.payload, { runId: orNull(isInt) });
    case FromWebviewType.OpenArtifact:
    case FromWebviewType.RevealArtifact:
      return hasFields(m.payload, { artifactId: isInt });
    case FromWebviewType.OpenPipelineFile:
      return isObj(m.payload);
    default:
      return false;
  }
}

export function isRunDetailsState(s: unknown): s is RunDetailsState {
  return hasFields(s, { runId: (id) => isInt(id) && id > 0 });
}
