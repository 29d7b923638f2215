import * as os from 'node:os';
import { pipelineComponents, topologicalOrder, withUpstream, type ComponentInfo } from '../pipeline/components';
import type { PipelineConfig } from '../pipeline/config';
import type { RunStore } from '../store';
import type { ExecutionStatus, NewRunFile, RunStatus, RunTrigger } from '../store/types';
import { collectRunFiles } from '../reproduce/runFiles';
import { sha256 } from '../util/hash';
import { UserError } from '../util/problems';
import { ExitCode } from './events';
import type { Executor, ResolvedArtifact } from './executor';
import { executeComponent, type ComponentOutcome } from './execute';
import { describeFailure } from './failure';
import { GateFailure } from './gate';
import { pipelineParams } from './params';
import { gitState } from './provenance';
import { ArtifactLayout } from './publish';
import type { RunReporter } from './reporter';

export interface RunPipelineOptions {
  config: PipelineConfig;
  store: RunStore;
  /** Folder that managed artifacts go to, e.g. `.mlops/artifacts` beside the store. */
  artifactsRoot: string;
  /** Run only this component and what it needs (cached upstream work is reused). */
  component?: string;
  signal: AbortSignal;
  reporter: RunReporter;
  toolVersion: string;
  executorFor: (component: ComponentInfo, config: PipelineConfig) => Executor;
  /** Independent components run side by side up to this many at once. */
  maxParallel?: number;
  /**
   * Continue this unfinished run instead of starting one: finished components are reused, training
   * continues from its last checkpoint. The pipeline file must be unchanged since the run started.
   */
  resume?: number;
  /** What started the run when no person did (`mlops watch`, a monitor alert); recorded on it. */
  trigger?: RunTrigger;
  /**
   * Re-run a recorded run (`mlops reproduce`): nothing is reused from the cache (a reused model would
   * prove nothing), `push` and what follows it are left out (a reproduction checks, it does not
   * deploy), and the new run records the run it reproduces and the files it ran.
   */
  reproduction?: {
    of: number;
    /** The files the reproduction runs (the original's stored ones); absent: collected as for any run. */
    files?: NewRunFile[];
  };
}

export interface RunOutcome {
  runId: number;
  pipeline: string;
  status: RunStatus;
  exitCode: number;
  durationMs: number;
  error?: string;
  components: ComponentOutcome[];
}

export async function runPipeline(options: RunPipelineOptions): Promise<RunOutcome> {
  const { config, store, reporter, signal } = options;
  const started = Date.now();
  const selected = selectComponents(config, options.component, options.reproduction ? 'push' : undefined);
  const git = await gitState(config.dir);
  const run =
    options.resume !== undefined
      ? reopen(store, options.resume, config)
      : store.createRun({
          pipelineName: config.name,
          pipelineFile: config.file,
          pipelineHash: config.hash,
          component: options.component ?? null,
          gitCommit: git.commit,
          gitDirty: git.dirty,
          toolVersion: options.toolVersion,
          seed: config.seed,
          pid: process.pid,
          hostname: os.hostname(),
          startedAt: started,
          trigger: options.trigger ?? null,
          reproducesRunId: options.reproduction?.of,
        });
  if (options.resume === undefined) {
    store.logParams(run.id, pipelineParams(config));
    const steps = config.steps.filter((s) => selected.some((c) => c.name === s.name));
    store.storeRunFiles(run.id, options.reproduction?.files ?? (await collectRunFiles(config, steps)));
  }
  reporter.event({ type: 'run-started', runId: run.id, pipeline: config.name, file: config.file, components: selected.map((c) => c.name) });

  const layout = new ArtifactLayout(options.artifactsRoot);
  // Runs killed mid-write (their executions recovered as failed) leave temporary folders behind.
  await layout.sweepTemporary(store.runningExecutionIds());
  const outputs = new Map<string, ResolvedArtifact[]>();
  const outcomes = new Map<string, ComponentOutcome>();
  const running = new Map<string, Promise<void>>();
  let failure: unknown;
  const maxParallel = options.maxParallel ?? 2;

  const canStart = (c: ComponentInfo) =>
    !outcomes.has(c.name) && !running.has(c.name) && c.dependsOn.every((d) => outputs.has(d) || !selected.some((s) => s.name === d));

  for (;;) {
    if (failure === undefined && !signal.aborted) {
      for (const c of selected) {
        if (running.size >= maxParallel) break;
        if (!canStart(c)) continue;
        const inputs = new Map(c.dependsOn.filter((d) => outputs.has(d)).map((d) => [d, outputs.get(d)!]));
        const task = executeComponent({
          component: c,
          config,
          store,
          layout,
          reporter,
          signal,
          runId: run.id,
          inputs,
          executor: options.executorFor(c, config),
          toolVersion: options.toolVersion,
          resume: options.resume !== undefined,
          reuseCache: !options.reproduction,
          cacheKeyOf: (fingerprint) =>
            sha256(
              JSON.stringify({ type: c.type, tool: options.toolVersion, fingerprint, upstream: [...inputs].map(([n, a]) => [n, a.map((x) => x.contentHash)]) }),
            ),
        }).then((outcome) => {
          outcomes.set(c.name, outcome);
          if (outcome.error === undefined) outputs.set(c.name, outcome.outputs);
          else failure ??= outcome.failure;
        });
        running.set(
          c.name,
          task.finally(() => running.delete(c.name)),
        );
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }

  for (const c of selected) {
    if (!outcomes.has(c.name)) outcomes.set(c.name, { name: c.name, status: 'skipped', outputs: [] });
  }
  const status: RunStatus = signal.aborted ? 'canceled' : failure !== undefined ? 'failed' : 'complete';
  const error = status === 'canceled' ? 'canceled' : failure === undefined ? undefined : describeFailure(failure);
  store.finishRun(run.id, status, error);
  const durationMs = Date.now() - started;
  const exitCode =
    status === 'complete' ? ExitCode.ok : status === 'canceled' ? ExitCode.canceled : failure instanceof GateFailure ? ExitCode.gateFailed : ExitCode.error;
  reporter.event({ type: 'run-finished', runId: run.id, status, exitCode, durationMs, error });
  return { runId: run.id, pipeline: config.name, status, exitCode, durationMs, error, components: selected.map((c) => outcomes.get(c.name)!) };
}

function reopen(store: RunStore, runId: number, config: PipelineConfig) {
  const run = store.getRun(runId);
  if (run && (run.pipelineName !== config.name || run.pipelineHash !== config.hash)) {
    throw UserError.at(
      `run ${runId} ran ${run.pipelineFile} as it was then; the pipeline file has changed since`,
      { file: config.file },
      'resume only continues the same run with the same settings: start a new run instead',
    );
  }
  return store.reopenRun(runId);
}

/** `leaveOut`: a component that is not run, nor anything downstream of it. */
function selectComponents(config: PipelineConfig, component: string | undefined, leaveOut?: string): ComponentInfo[] {
  const { order } = topologicalOrder(pipelineComponents(config));
  if (component !== undefined && !order.some((c) => c.name === component)) {
    throw UserError.at(
      `pipeline '${config.name}' has no component '${component}'`,
      { file: config.file },
      `components: ${order.map((c) => c.name).join(', ')}`,
    );
  }
  const wanted = component === undefined ? order : withUpstream(order, component);
  return leaveOut === undefined ? wanted : wanted.filter((c) => !withUpstream(order, c.name).some((u) => u.name === leaveOut));
}

export type { ComponentOutcome, ExecutionStatus };
