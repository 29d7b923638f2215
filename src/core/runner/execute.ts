import type { ComponentInfo } from '../pipeline/components';
import { executorRegistry } from '../registry';
import type { PipelineConfig } from '../pipeline/config';
import type { RunStore } from '../store';
import type { ArtifactRecord, ExecutionStatus } from '../store/types';
import { digestPath } from '../util/hash';
import type { Executor, ExecutorContext, ExecutorResult, ExecutorTracking, ResolvedArtifact } from './executor';
import type { ArtifactLayout } from './publish';
import type { RunReporter } from './reporter';
import { describeFailure } from './failure';
import { GateFailure } from './gate';
import { recordFileArtifact } from './fileArtifact';

export interface ComponentOutcome {
  name: string;
  status: ExecutionStatus | 'skipped';
  executionId?: number;
  durationMs?: number;
  summary?: string;
  error?: string;
  /** The thrown value behind `error`, kept so the caller can tell user errors from bugs. */
  failure?: unknown;
  outputs: ResolvedArtifact[];
}

export interface ExecuteComponentOptions {
  component: ComponentInfo;
  config: PipelineConfig;
  store: RunStore;
  layout: ArtifactLayout;
  reporter: RunReporter;
  signal: AbortSignal;
  runId: number;
  inputs: Map<string, ResolvedArtifact[]>;
  executor: Executor;
  toolVersion: string;
  cacheKeyOf(fingerprint: unknown): string;
  /** The run was reopened with `--resume`. */
  resume: boolean;
  /** False: run even when an earlier execution with the same cache key could stand in (a reproduction). */
  reuseCache: boolean;
}

/**
 * Runs one component the same way for every kind: reuse a cached execution when nothing it depends
 * on changed, else record the execution, call the executor, publish its outputs (temporary name,
 * then rename), record lineage and metrics. Never throws: the outcome carries the failure.
 */
export async function executeComponent(o: ExecuteComponentOptions): Promise<ComponentOutcome> {
  const { component, store, reporter, runId } = o;
  const started = Date.now();
  let cacheKey: string | null = null;
  let executionId: number | undefined;
  const temporaries: string[] = [];
  try {
    const fingerprint = await o.executor.fingerprint?.({ config: o.config, component, signal: o.signal });
    cacheKey = fingerprint === undefined ? null : o.cacheKeyOf(fingerprint);
    const cached = cacheKey && o.reuseCache ? await reusableExecution(store, cacheKey) : undefined;
    const execution = store.startExecution(runId, component.name, component.type, {}, cacheKey);
    executionId = execution.id;
    reporter.event({ type: 'component-started', runId, component: component.name, executionId });
    linkUpstream(o, execution.id);
    if (cached) {
      for (const a of cached) store.linkArtifact(execution.id, a.id, 'output', a.name);
      store.finishExecution(execution.id, 'cached');
      return finished(o, execution.id, 'cached', started, { outputs: cached, summary: 'cached: inputs and settings unchanged' });
    }
    const context: ExecutorContext = {
      config: o.config,
      component,
      runId,
      executionId: execution.id,
      inputs: o.inputs,
      signal: o.signal,
      outputDir: async (name) => {
        const dir = await o.layout.temporaryDir(execution.id, name);
        temporaries.push(dir);
        return dir;
      },
      checkpointDir: () => o.layout.checkpointDir(runId, component.name),
      resume: o.resume,
      tracking: tracking(o, execution.id),
      registry: executorRegistry(store),
      progress: (message, fraction) => reporter.event({ type: 'component-progress', runId, component: component.name, message, fraction }),
      log: (line) => reporter.log(component.name, line),
    };
    if (o.signal.aborted) throw o.signal.reason;
    const result = await o.executor.run(context);
    if (o.signal.aborted) throw o.signal.reason;
    const outputs = await record(o, execution.id, result);
    if (result.gateFailure !== undefined) {
      store.finishExecution(execution.id, 'failed', result.gateFailure);
      const failed = finished(o, execution.id, 'failed', started, { outputs, summary: result.summary, error: result.gateFailure });
      return { ...failed, failure: new GateFailure(result.gateFailure) };
    }
    store.finishExecution(execution.id, 'complete');
    return finished(o, execution.id, 'complete', started, { outputs, summary: result.summary, warning: result.warning });
  } catch (failure) {
    await Promise.all(temporaries.map((t) => o.layout.discard(t)));
    const status: ExecutionStatus = o.signal.aborted ? 'canceled' : 'failed';
    const error = status === 'canceled' ? 'canceled' : describeFailure(failure);
    if (executionId === undefined) {
      executionId = store.startExecution(runId, component.name, component.type, {}, cacheKey).id;
      reporter.event({ type: 'component-started', runId, component: component.name, executionId });
    }
    store.finishExecution(executionId, status, error);
    return { ...finished(o, executionId, status, started, { outputs: [], error }), failure };
  }
}

function tracking(o: ExecuteComponentOptions, executionId: number): ExecutorTracking {
  const { store, runId, component, reporter } = o;
  return {
    logMetrics(points, childRunId) {
      store.logMetrics(childRunId ?? runId, childRunId === undefined ? executionId : null, points);
      // One event per key and batch, its newest point: a step logging a million points must not send
      // the editor a million events (the panels read the points from the store).
      const newest = new Map(points.map((m) => [m.key, m]));
      for (const m of newest.values()) {
        reporter.event({ type: 'metric', runId: childRunId ?? runId, component: component.name, key: m.key, step: m.step ?? 0, value: m.value });
      }
    },
    logParams: (params) => store.logParams(runId, Object.fromEntries(Object.entries(params).map(([k, v]) => [`${component.name}.${k}`, v]))),
    setTags: (tags) => store.setTags(runId, tags),
    setBackend: (backend) => store.setRunBackend(runId, backend),
    startChildRun(params, tags) {
      const parent = store.getRun(runId)!;
      const child = store.createRun({
        pipelineName: parent.pipelineName,
        pipelineFile: parent.pipelineFile,
        pipelineHash: parent.pipelineHash,
        component: component.name,
        gitCommit: parent.gitCommit,
        gitDirty: parent.gitDirty,
        toolVersion: parent.toolVersion,
        tfjsBackend: parent.tfjsBackend,
        seed: parent.seed,
        parentRunId: runId,
      });
      store.logParams(child.id, params);
      if (tags) store.setTags(child.id, tags);
      return child.id;
    },
    finishChildRun: (childRunId, status, error) => store.finishRun(childRunId, status, error),
  };
}

function finished(
  o: ExecuteComponentOptions,
  executionId: number,
  status: ExecutionStatus,
  started: number,
  rest: { outputs: ResolvedArtifact[]; summary?: string; warning?: string; error?: string },
): ComponentOutcome {
  const durationMs = Date.now() - started;
  const { summary, warning, error } = rest;
  o.reporter.event({ type: 'component-finished', runId: o.runId, component: o.component.name, executionId, status, durationMs, summary, warning, error });
  return { name: o.component.name, status, executionId, durationMs, outputs: rest.outputs, summary, error };
}

/** A previous execution with the same cache key whose outputs are still there, unchanged. */
async function reusableExecution(store: RunStore, cacheKey: string): Promise<ResolvedArtifact[] | undefined> {
  const hit = store.findCachedExecution(cacheKey);
  if (!hit) return undefined;
  for (const a of hit.outputs) {
    const digest = await digestPath(a.uri).catch(() => undefined);
    if (!digest || digest.hash !== a.contentHash) return undefined;
  }
  return hit.outputs.map(resolved);
}

function linkUpstream(o: ExecuteComponentOptions, executionId: number) {
  for (const [component, artifacts] of o.inputs) {
    for (const a of artifacts) o.store.linkArtifact(executionId, a.id, 'input', `${component}.${a.name}`);
  }
}

async function record(o: ExecuteComponentOptions, executionId: number, result: ExecutorResult): Promise<ResolvedArtifact[]> {
  const { store } = o;
  for (const input of result.externalInputs ?? []) await recordFileArtifact(store, executionId, 'input', input);
  const outputs: ResolvedArtifact[] = [];
  for (const out of result.outputs) {
    const uri = out.managed ? o.layout.finalPath(o.config.name, o.component.name, executionId, out.name) : out.path;
    const artifact = store.createArtifact({ type: out.type, uri, properties: out.properties ?? {} });
    try {
      if (out.managed) await o.layout.moveIntoPlace(out.path, uri);
      const digest = await digestPath(uri);
      const live = store.publishArtifact(artifact.id, { contentHash: digest.hash, sizeBytes: digest.sizeBytes });
      store.linkArtifact(executionId, artifact.id, 'output', out.name);
      outputs.push(resolved({ ...live, name: out.name }));
    } catch (e) {
      store.abandonArtifact(artifact.id);
      throw e;
    }
  }
  // A result's metrics and params are recorded like those tracked while the component ran.
  const recorded = tracking(o, executionId);
  if (result.metrics?.length) recorded.logMetrics(result.metrics);
  if (result.params) recorded.logParams(result.params);
  return outputs;
}

function resolved(a: ArtifactRecord & { name: string }): ResolvedArtifact {
  return { id: a.id, name: a.name, type: a.type, uri: a.uri, contentHash: a.contentHash, properties: a.properties };
}
