/**
 * The run-details panel's message contract, imported by both the extension (runDetails) and
 * the webview (webview/run-details). The extension sends data, the webview renders it; every message
 * is validated on arrival because the other side is a different process that can be out of date
 * (a restored panel from an older build) or simply wrong.
 *
 * Handshake: the webview posts `ready` once its listener is installed; the extension sends nothing
 * before that, so no message is ever lost to a page that is still loading.
 */

import { fromPage, isRunId, isRunNotFound } from './contract';
import { array, bool, int, literal, messages, nullable, num, object, optional, str, type Infer } from './schema';

export const RUN_DETAILS_VIEW_TYPE = 'mlops.runDetails';

const isRunStatus = literal('running', 'complete', 'failed', 'canceled', 'interrupted');
export type RunStatusView = Infer<typeof isRunStatus>;
const isExecutionStatus = literal('new', 'running', 'complete', 'failed', 'cached', 'canceled');
export type ExecutionStatusView = Infer<typeof isExecutionStatus>;
const isKeyValue = object({ key: str, value: str });

/** What the panel shows about one run: a plain, serializable view model (not the store records). */
export const isRunDetailsView = object({
  run: object({
    id: int,
    pipeline: str,
    pipelineFile: str,
    status: isRunStatus,
    component: nullable(str),
    startedAt: num,
    endedAt: nullable(num),
    error: nullable(str),
    gitCommit: nullable(str),
    gitDirty: nullable(bool),
    toolVersion: str,
    tfjsBackend: nullable(str),
    seed: nullable(num),
    pipelineHash: str,
    hostname: nullable(str),
  }),
  params: array(isKeyValue),
  metrics: array(object({ key: str, value: num, step: num, points: int, component: nullable(str) })),
  executions: array(
    object({
      id: int,
      component: str,
      type: str,
      status: isExecutionStatus,
      startedAt: nullable(num),
      endedAt: nullable(num),
      error: nullable(str),
    }),
  ),
  artifacts: array(
    object({
      id: int,
      name: str,
      type: str,
      role: literal('input', 'output'),
      component: nullable(str),
      /** Path as the user reads it: workspace-relative where possible. */
      path: str,
      sizeBytes: nullable(num),
      contentHash: nullable(str),
      state: str,
    }),
  ),
  tags: array(isKeyValue),
  /** When the snapshot was taken (epoch ms), so the webview can tick a running run's duration. */
  takenAt: num,
});
export type RunDetailsView = Infer<typeof isRunDetailsView>;

export const isToWebviewMessage = messages({
  details: isRunDetailsView,
  notFound: isRunNotFound,
});
export type ToWebviewMessage = Infer<typeof isToWebviewMessage>;

/** Artifacts are named by id, never by path: the extension resolves the id against its own data. */
export const isFromWebviewMessage = fromPage({
  ready: object({ runId: nullable(int) }),
  openArtifact: object({ artifactId: int }),
  revealArtifact: object({ artifactId: int }),
  openPipelineFile: object({}),
});
export type FromWebviewMessage = Infer<typeof isFromWebviewMessage>;

/** What the webview keeps with `setState`, and what the serializer reopens after a reload. */
export const isRunDetailsState = object({
  runId: isRunId,
  details: optional(isRunDetailsView),
  /** Sections the user folded (`params`, `metrics`, `executions`, `artifacts`, ...). */
  collapsed: optional(array(str)),
});
export type RunDetailsState = Infer<typeof isRunDetailsState>;
