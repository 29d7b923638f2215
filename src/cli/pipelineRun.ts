import type { RunPipelineOptions, RunOutcome } from '../core/runner/runner';
import { runPipeline } from '../core/runner/runner';
import { executorFor } from '../core/runner/executors';
import { combineReporters, type RunReporter } from '../core/runner/reporter';
import type { PipelineConfig } from '../core/pipeline/config';
import type { RunStore } from '../core/store';
import { UserError } from '../core/util/problems';
import { EventChannel } from './report/eventChannel';
import { HumanReporter } from './report/human';
import { artifactsRootFor } from './storePath';
import { style } from './style';
import { TOOL_VERSION } from './version';

export interface CliRunOptions {
  config: PipelineConfig;
  store: RunStore;
  storePath: string;
  /** Where human progress goes (stderr under --json). */
  out: (line: string) => void;
  eventsFd?: number;
  /** Runs the store marked interrupted when it opened. */
  recovered: number[];
  component?: string;
  resume?: number;
  reproduction?: RunPipelineOptions['reproduction'];
  trigger?: RunPipelineOptions['trigger'];
}

/**
 * A pipeline run as the CLI does it (`mlops run`, `mlops reproduce`): progress for people and, with
 * --events-fd, for the editor; Ctrl+C, SIGTERM and SIGHUP cancel the run cleanly.
 */
export async function runFromCli(o: CliRunOptions): Promise<RunOutcome> {
  const reporters: RunReporter[] = [new HumanReporter(o.out)];
  if (o.eventsFd !== undefined) reporters.push(new EventChannel(o.eventsFd));
  if (o.recovered.length)
    o.out(
      style.yellow(
        `note: marked run${o.recovered.length > 1 ? 's' : ''} #${o.recovered.join(', #')} as interrupted (the process running ${o.recovered.length > 1 ? 'them' : 'it'} had stopped)`,
      ),
    );
  const cancel = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (cancel.signal.aborted) return;
    o.out(style.yellow(`\n${signal === 'SIGINT' ? 'Ctrl+C' : signal}: canceling the run…`));
    cancel.abort(new UserError({ severity: 'error', message: 'canceled' }));
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  signals.forEach((s) => process.on(s, onSignal));
  try {
    return await runPipeline({
      config: o.config,
      store: o.store,
      artifactsRoot: artifactsRootFor(o.storePath),
      component: o.component,
      resume: o.resume,
      reproduction: o.reproduction,
      trigger: o.trigger,
      signal: cancel.signal,
      reporter: combineReporters(...reporters),
      toolVersion: TOOL_VERSION,
      executorFor,
    });
  } finally {
    signals.forEach((s) => process.off(s, onSignal));
  }
}

/** The documented `mlops run --json` shape (see README). */
export function outcomeJson(o: RunOutcome, storePath: string) {
  return {
    runId: o.runId,
    pipeline: o.pipeline,
    status: o.status,
    exitCode: o.exitCode,
    durationMs: o.durationMs,
    error: o.error ?? null,
    store: storePath,
    components: o.components.map((c) => ({
      name: c.name,
      status: c.status,
      executionId: c.executionId ?? null,
      durationMs: c.durationMs ?? null,
      error: c.error ?? null,
      outputs: c.outputs.map((a) => ({ name: a.name, type: a.type, uri: a.uri, contentHash: a.contentHash })),
    })),
  };
}
