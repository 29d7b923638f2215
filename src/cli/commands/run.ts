import * as path from 'node:path';
import { loadPipeline } from '../../core/pipeline/load';
import { ExitCode } from '../../core/runner/events';
import { executorFor } from '../../core/runner/executors';
import { combineReporters, type RunReporter } from '../../core/runner/reporter';
import { runPipeline, type RunOutcome } from '../../core/runner/runner';
import type { RunStore } from '../../core/store';
import { parseTrigger } from '../../core/triggers/trigger';
import { UserError } from '../../core/util/problems';
import { defineCommand, flag, numberOption, option } from '../args';
import { EventChannel } from '../report/eventChannel';
import { HumanReporter } from '../report/human';
import { artifactsRootFor, openStoreForWriting } from '../storePath';
import { style } from '../style';
import { TOOL_VERSION } from '../version';

export const runCommand = defineCommand({
  name: 'run',
  summary: 'Run a pipeline, or one component and what it needs. Unchanged components are reused from earlier runs.',
  arguments: [{ name: 'pipeline', description: "pipeline file (*.pipeline.yaml, .yml or .json); with --resume, the run's own file", optional: true }],
  options: [
    option('component', 'NAME', 'run only this component (and the components it depends on)'),
    flag('json', 'print the outcome as JSON on stdout (progress goes to stderr)'),
    numberOption(
      'resume',
      'RUN',
      'continue an interrupted, failed or canceled run: finished components are reused, training continues from its last checkpoint',
    ),
    numberOption('events-fd', 'FD', 'also write progress events as JSON lines to this file descriptor'),
    option('trigger', 'JSON', 'what started the run, recorded on it (mlops watch and mlops monitor pass it)'),
  ],
  examples: ['mlops run taxi.pipeline.yaml', 'mlops run taxi.pipeline.yaml --component ingest --json', 'mlops run --resume 42'],
  async run({ positionals, options }) {
    const json = Boolean(options.json);
    const out = (line: string) => (json ? process.stderr : process.stdout).write(line + '\n');
    const resume = options.resume;
    const { store, storePath, recovered } = openStoreForWriting(options.store);
    let config;
    let component = options.component;
    let trigger;
    try {
      trigger = options.trigger === undefined ? undefined : parseTrigger(options.trigger);
      const resumed = resume === undefined ? undefined : resumedRun(store, resume);
      component = resumed?.component ?? component;
      const file = positionals.pipeline ?? resumed?.pipelineFile;
      if (file === undefined)
        throw new UserError({
          severity: 'error',
          message: 'missing <pipeline>: the pipeline file to run',
          hint: 'mlops run <pipeline> or mlops run --resume <run-id>',
        });
      config = await loadPipeline(path.resolve(file));
    } catch (e) {
      store.close();
      throw e;
    }
    const human = new HumanReporter(out);
    const reporters: RunReporter[] = [human];
    if (options['events-fd'] !== undefined) reporters.push(new EventChannel(options['events-fd']));
    if (recovered.length)
      out(
        style.yellow(
          `note: marked run${recovered.length > 1 ? 's' : ''} #${recovered.join(', #')} as interrupted (the process running ${recovered.length > 1 ? 'them' : 'it'} had stopped)`,
        ),
      );

    const cancel = new AbortController();
    const onSignal = (signal: NodeJS.Signals) => {
      if (cancel.signal.aborted) return;
      out(style.yellow(`\n${signal === 'SIGINT' ? 'Ctrl+C' : signal}: canceling the run…`));
      cancel.abort(new UserError({ severity: 'error', message: 'canceled' }));
    };
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    signals.forEach((s) => process.on(s, onSignal));
    let outcome: RunOutcome;
    try {
      outcome = await runPipeline({
        config,
        store,
        artifactsRoot: artifactsRootFor(storePath),
        component,
        resume,
        trigger,
        signal: cancel.signal,
        reporter: combineReporters(...reporters),
        toolVersion: TOOL_VERSION,
        executorFor,
      });
    } finally {
      signals.forEach((s) => process.off(s, onSignal));
      store.close();
    }
    if (json) process.stdout.write(JSON.stringify(outcomeJson(outcome, storePath), null, 2) + '\n');
    else out(style.dim(`store: ${path.relative(process.cwd(), storePath) || storePath} · details: mlops runs show ${outcome.runId}`));
    return outcome.exitCode ?? ExitCode.error;
  },
});

function resumedRun(store: RunStore, runId: number) {
  const run = store.getRun(runId);
  if (!run)
    throw new UserError({
      severity: 'error',
      message: `there is no run ${runId} to resume in the run store ${store.path}`,
      hint: 'mlops runs list shows the runs',
    });
  if (run.parentRunId !== null)
    throw new UserError({
      severity: 'error',
      message: `run ${runId} is a tuning trial of run ${run.parentRunId}`,
      hint: `resume the tuning run: mlops run --resume ${run.parentRunId}`,
    });
  return run;
}

/** The documented `mlops run --json` shape (see README). */
function outcomeJson(o: RunOutcome, storePath: string) {
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
