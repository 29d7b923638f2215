import type { PipelineConfig } from '../pipeline/config';
import type { ComponentInfo } from '../pipeline/components';
import type { ModelVersionRecord, PushOutcome, PushRequest } from '../registry/types';
import type { MetricPoint } from '../store/types';

/** An artifact a finished upstream component produced, as a downstream component sees it. */
export interface ResolvedArtifact {
  id: number;
  name: string;
  type: string;
  uri: string;
  contentHash: string | null;
  properties: Record<string, unknown>;
}

export interface ExecutorContext {
  config: PipelineConfig;
  component: ComponentInfo;
  runId: number;
  executionId: number;
  /** Outputs of the components this one depends on, by component name. */
  inputs: Map<string, ResolvedArtifact[]>;
  /**
   * A fresh temporary folder for a managed output: the runner renames it into
   * `.mlops/artifacts/...` only when the component succeeds, so no half-written artifact is live.
   */
  outputDir(name: string): Promise<string>;
  /**
   * A folder that outlives a failed or killed execution (unlike `outputDir`): training checkpoints
   * live here so `mlops run --resume` can continue. Same path for the same run and component.
   */
  checkpointDir(): Promise<string>;
  /** True when this run was reopened with `--resume`: continue from checkpoints instead of starting over. */
  resume: boolean;
  /** Live tracking, written as it happens (training curves appear while the run is going). */
  tracking: ExecutorTracking;
  /** The model registry, for the evaluate (baseline) and push components. */
  registry: ExecutorRegistry;
  signal: AbortSignal;
  progress(message: string, fraction?: number): void;
  log(line: string): void;
}

export interface ExecutorTracking {
  /** Metric points of this execution, or of a child run (a tuning trial) when `childRunId` is given. */
  logMetrics(points: readonly MetricPoint[], childRunId?: number): void;
  /** Parameters of this run, named `<component>.<key>` like the pipeline's own. */
  logParams(params: Record<string, string>): void;
  /** Tags of this run. */
  setTags(tags: Record<string, string>): void;
  /** Records the tfjs backend that trains the run's model. */
  setBackend(backend: string): void;
  /** Starts a child run (a tuning trial) of this run with its parameters; returns its id. */
  startChildRun(params: Record<string, string>, tags?: Record<string, string>): number;
  finishChildRun(runId: number, status: 'complete' | 'failed' | 'canceled', error?: string): void;
}

export interface ExecutorRegistry {
  /** The version change thresholds compare with: the `production` version, else the latest blessed one. */
  baseline(model: string): ModelVersionRecord | undefined;
  /** Registers (once per run and weights) and deploys a version: see src/core/registry/push.ts. */
  push(request: PushRequest): Promise<PushOutcome>;
}

export interface ProducedArtifact {
  name: string;
  type: string;
  /** For a managed output: the temporary folder from `outputDir`. Otherwise a user path left in place. */
  path: string;
  managed: boolean;
  properties?: Record<string, unknown>;
}

export interface ExecutorResult {
  outputs: ProducedArtifact[];
  /** Files or folders read from outside the pipeline's artifacts (data files, declared step inputs). */
  externalInputs?: { name: string; type: string; path: string }[];
  metrics?: MetricPoint[];
  params?: Record<string, string>;
  /** One line for the terminal, e.g. "train 8,000 rows · eval 2,000 rows". */
  summary?: string;
  /** Set when a gate failed: the outputs are published, then the run stops with exit code 1. */
  gateFailure?: string;
  /** Findings the pipeline chose not to stop on (anomalies under `stop_on: never`): shown as a warning, not a tick. */
  warning?: string;
}

/**
 * A component's executor does the work on resolved inputs and never talks to the store: the runner
 * records executions, artifacts and lineage, which keeps caching and lineage uniform (TFX's split
 * between component spec and executor).
 */
export interface Executor {
  /**
   * Everything that determines the output besides upstream artifacts: parameters, the content of
   * external input files, the command it runs. Same fingerprint + same inputs = reuse the old output.
   * Without one (or when it gives `undefined`), the component always runs.
   */
  fingerprint?(ctx: Pick<ExecutorContext, 'config' | 'component' | 'signal'>): Promise<unknown>;
  run(ctx: ExecutorContext): Promise<ExecutorResult>;
}
