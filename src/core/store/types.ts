/**
 * The run store's record shapes: an ML-Metadata-like core (pipelines, runs, executions, artifacts and
 * the input/output events between them) plus tracking (params, metrics, tags). Timestamps are epoch
 * milliseconds. Run and execution ids are integers so people can type them (`mlops runs show 42`).
 */

/** `interrupted`: the process died without finishing (SIGKILL, power loss), found on a later open. */
export type RunStatus = 'running' | 'complete' | 'failed' | 'canceled' | 'interrupted';
export type ExecutionStatus = 'new' | 'running' | 'complete' | 'failed' | 'cached' | 'canceled';
export type ArtifactState = 'pending' | 'live' | 'abandoned' | 'deleted';
export type EventRole = 'input' | 'output';

export interface PipelineRecord {
  id: number;
  name: string;
  /** Path of the pipeline file, relative to the workspace/store root where possible. */
  file: string;
  createdAt: number;
}

export interface RunRecord {
  id: number;
  pipelineId: number;
  pipelineName: string;
  pipelineFile: string;
  status: RunStatus;
  /** Set when only one component (and what it needs) was asked for. */
  component: string | null;
  startedAt: number;
  endedAt: number | null;
  pipelineHash: string;
  gitCommit: string | null;
  gitDirty: boolean | null;
  toolVersion: string;
  tfjsBackend: string | null;
  seed: number | null;
  error: string | null;
  /** Process that owns a running run, so a later open can tell a live run from a killed one. */
  pid: number | null;
  hostname: string | null;
  /** Set on a tuning trial: the run that tuned. */
  parentRunId: number | null;
  /** The runtime that created the run (null on runs older than store format 6). */
  nodeVersion: string | null;
  sqliteDriver: string | null;
  sqliteVersion: string | null;
  /** What started the run when no person did (null: a person, or a run older than store format 9). */
  trigger: RunTrigger | null;
  /** `mlops reproduce`: the run this one re-ran. */
  reproducesRunId: number | null;
}

/**
 * What started a triggered run: new span files under `data.train` (settled), the pipeline's
 * `triggers.schedule` at its scheduled time (epoch ms), or a monitoring alert with the retrain action.
 */
export type RunTrigger =
  { kind: 'span'; files: string[] } | { kind: 'schedule'; cron: string; at: number } | { kind: 'alert'; alertId: number; model: string; message: string };

export interface NewRun {
  pipelineName: string;
  pipelineFile: string;
  pipelineHash: string;
  component?: string | null;
  gitCommit?: string | null;
  gitDirty?: boolean | null;
  toolVersion: string;
  tfjsBackend?: string | null;
  seed?: number | null;
  pid?: number;
  hostname?: string;
  startedAt?: number;
  parentRunId?: number | null;
  trigger?: RunTrigger | null;
  reproducesRunId?: number | null;
}

/** A file a run ran as it was then, stored in the run store so the run can be reproduced after it is edited. */
export interface RunFileRecord {
  /** Absolute path the run read it from. */
  path: string;
  /** `pipeline`: the pipeline file; `script`: a file a step's command names. */
  role: 'pipeline' | 'script';
  /** `sha256:<hex>` of its bytes. */
  hash: string;
  sizeBytes: number;
}

/** A file from outside the run that its results depend on, with its content hash when the run read it. */
export interface RecordedInput {
  component: string;
  /** The port name: `train/data.csv` for a data file (split/name), a step's input name, `schema`. */
  name: string;
  /** `DataFile`, `File`, `Directory`, `Schema`. */
  type: string;
  uri: string;
  contentHash: string | null;
}

export type NewRunFile = Omit<RunFileRecord, 'sizeBytes'> & { bytes: Uint8Array };

export interface ExecutionRecord {
  id: number;
  runId: number;
  component: string;
  /** Component type: `ingest`, `step`, later `statistics`, `train`, ... */
  type: string;
  status: ExecutionStatus;
  startedAt: number | null;
  endedAt: number | null;
  cacheKey: string | null;
  error: string | null;
  properties: Record<string, unknown>;
}

export interface ArtifactRecord {
  id: number;
  /** `Examples`, `File`, `Directory`, later `Statistics`, `Schema`, `Model`, ... */
  type: string;
  /** Absolute path (or URI) of the artifact's content. */
  uri: string;
  state: ArtifactState;
  /** `sha256:<hex>` of the content (a directory hashes its sorted files' paths and hashes). */
  contentHash: string | null;
  sizeBytes: number | null;
  properties: Record<string, unknown>;
  createdAt: number;
}

export interface EventRecord {
  executionId: number;
  artifactId: number;
  role: EventRole;
  /** The port name, e.g. `examples`, `model`, or a custom step's declared name. */
  name: string;
}

export interface MetricPoint {
  key: string;
  value: number;
  step?: number;
  timestamp?: number;
}

export interface MetricRecord {
  runId: number;
  executionId: number | null;
  key: string;
  step: number;
  value: number;
  timestamp: number;
}

export interface RunListQuery {
  pipeline?: string;
  /** Default `none`: top-level runs only; a run id lists that run's tuning trials; `any` lists both. */
  parent?: number | 'none' | 'any';
  /** Absent or empty: any status. */
  status?: RunStatus[];
  /** Free text matched against pipeline name, component, error and tag values. */
  text?: string;
  /** Default `startedAt`; a running run's duration is its time so far. */
  sort?: 'startedAt' | 'duration' | 'id';
  /** Default `desc`: newest (or longest, or highest id) first. */
  order?: 'asc' | 'desc';
  /** Default 100. */
  limit?: number;
  offset?: number;
}

export interface RunListPage {
  runs: RunRecord[];
  total: number;
}

/** Everything the run-details view and `mlops runs show` present. */
export interface RunDetails {
  run: RunRecord;
  executions: ExecutionRecord[];
  params: Record<string, string>;
  /** Latest value per key, plus how many points the key has. */
  metrics: { key: string; value: number; step: number; points: number; executionId: number | null }[];
  tags: Record<string, string>;
  artifacts: LinkedArtifact[];
}

/** Last execution per component of a pipeline, for the Pipelines tree. */
export interface ComponentStatus {
  component: string;
  status: ExecutionStatus;
  runId: number;
  endedAt: number | null;
}

export interface NewArtifact {
  type: string;
  uri: string;
  properties?: Record<string, unknown>;
}

/** An artifact as one execution sees it: through an input or output port. */
export type LinkedArtifact = ArtifactRecord & { executionId: number; role: EventRole; name: string };

/** A previous execution whose outputs can stand in for running the component again. */
export interface CachedExecution {
  execution: ExecutionRecord;
  outputs: LinkedArtifact[];
}

export type LineageDirection = 'up' | 'down' | 'both';

/** What a lineage graph starts from: node ids as in `LineageNode.id`. */
export type LineageSubject =
  { kind: 'run'; runId: number } | { kind: 'artifact'; artifactIds: readonly number[] } | { kind: 'model'; model: string; version: number };

export interface LineageQuery {
  subject: LineageSubject;
  /** Default `both`: where the subject came from and what was built from it. */
  direction?: LineageDirection;
  /** Executions to walk away from the subject, each way; default 50 (a whole pipeline and then some). */
  depth?: number;
  /** Stop adding nodes past this many (the graph says it was cut); default 400. */
  maxNodes?: number;
}

/** A registered model version, as lineage shows it. */
export interface LineageModelVersion {
  model: string;
  version: number;
  runId: number | null;
  blessed: boolean | null;
  aliases: string[];
  createdAt: number;
  pushedTo: string | null;
}

/** What happened to a version once served: its monitored windows and the alerts they raised. */
export interface LineageMonitoring {
  model: string;
  version: number;
  windows: number;
  firstWindowEnd: number | null;
  lastWindowEnd: number | null;
  alerts: number;
  /** The newest few alerts, newest first. */
  latestAlerts: { id: number; kind: string; subject: string; message: string; createdAt: number }[];
  /** Runs an alert's `retrain` action started. */
  retrainRunIds: number[];
}

export type LineageNode =
  | {
      id: string;
      kind: 'execution';
      execution: ExecutionRecord;
      /** A cached execution: the execution (and run) whose outputs it reused. */
      reusedFrom: { executionId: number; runId: number } | null;
    }
  | { id: string; kind: 'artifact'; artifact: ArtifactRecord }
  | { id: string; kind: 'modelVersion'; version: LineageModelVersion }
  | { id: string; kind: 'monitoring'; monitoring: LineageMonitoring };

/**
 * input: artifact → execution that read it; output: execution → artifact it wrote; registered:
 * model artifact → its registry version; pushed: a push's PushedModel → the version; served:
 * version → its monitoring.
 */
export interface LineageEdge {
  from: string;
  to: string;
  kind: 'input' | 'output' | 'registered' | 'pushed' | 'served';
  /** The port name of an input or output. */
  name?: string;
}

/** The connected part of the store around a subject, as a graph (executions and artifacts alternate). */
export interface LineageGraph {
  /** Ids of the nodes the query started from. */
  subjects: string[];
  direction: LineageDirection;
  nodes: LineageNode[];
  edges: LineageEdge[];
  /** maxNodes was reached: some connected nodes are left out. */
  truncated: boolean;
}

/** Where a page of a metric's points ended: the next page (or the next live update) starts after it. */
export interface MetricSeriesCursor {
  step: number;
  /** The metrics row id: points logged later at the same step come after it. */
  id: number;
}

/** Points of one key in step order, as parallel arrays (a chart series, cheap to send and append). */
export interface MetricSeriesPage {
  steps: number[];
  values: number[];
  /** The last point returned; the given cursor when there was nothing new. */
  cursor: MetricSeriesCursor | null;
  /** Fewer points than asked for: there is nothing more for now. */
  done: boolean;
}

/** A key's latest point in a run. */
export interface FinalMetric {
  value: number;
  step: number;
  /** Points at two steps or more: a curve, not a single figure. */
  curve: boolean;
}
