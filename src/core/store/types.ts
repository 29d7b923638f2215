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
  /** `mlops reproduce`: the run this one re-ran. */
  reproducesRunId: number | null;
}

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

/** Where an artifact came from: the executions upstream of it and everything they read or wrote. */
export interface Lineage {
  artifact: ArtifactRecord;
  executions: ExecutionRecord[];
  artifacts: ArtifactRecord[];
  events: EventRecord[];
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
