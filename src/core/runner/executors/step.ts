import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { StepConfig } from '../../pipeline/config';
import { digestPath } from '../../util/hash';
import { UserError } from '../../util/problems';
import type { Executor, ExecutorContext, ExecutorResult, ProducedArtifact } from '../executor';
import { readStepMetrics, stepMetricsSummary } from './stepMetrics';
import { TrackingIngest, type TrackingSummary } from '../../tracking/ingest';
import type { TrackedArtifact } from '../../tracking/protocol';
import { LoggedArtifacts, loggedOutput } from '../../tracking/artifacts';
import { pythonClientDir } from '../../tracking/pythonClient';
import { errorMessage } from '../../util/errorMessage';
import { writeOnnxPackage } from '../../model/onnx/package';
import { loadTransformGraph } from '../../transform/graph';
import { upstreamArtifact } from './upstream';

const KILL_GRACE_MS = 5000;
const STDERR_TAIL_LINES = 15;
/** The step's tracking lines (src/core/tracking/protocol.ts) arrive on this file descriptor. */
const TRACKING_FD = 3;

/** Runs a custom step's command: how Python training code and report scripts plug in. */
export function stepExecutor(step: StepConfig): Executor {
  return {
    async fingerprint({ config }) {
      // A step that declares no outputs may act for its side effects: always run it.
      if (Object.keys(step.outputs).length === 0) return undefined;
      const inputs: Record<string, string> = {};
      for (const [name, p] of Object.entries(step.inputs)) inputs[name] = (await requireInput(step, name, p)).hash;
      // Whether it trains the pipeline's model, and how its models are declared, shape the package it leaves.
      const trainsModel = config.trainStep?.step === step.name;
      return { run: step.run, cwd: step.cwd, env: step.env, inputs, outputs: step.outputs, models: step.models, trainsModel, metrics: step.metrics };
    },

    async run(ctx) {
      for (const [name, p] of Object.entries(step.inputs)) await requireInput(step, name, p);
      await requireFolder(step);
      const metricsBefore = step.metrics ? await mtime(step.metrics) : undefined;
      const exit = await runCommand(step, ctx);
      if (exit.trackingFailure !== undefined) throw exit.trackingFailure;
      if (ctx.signal.aborted) throw ctx.signal.reason;
      if (exit.code !== 0) {
        const how = exit.signal ? `was stopped by ${exit.signal}` : `exited with code ${exit.code}`;
        const tail = exit.stderrTail.length ? `\n${exit.stderrTail.join('\n')}` : '';
        throw UserError.at(`step '${step.name}' failed: the command ${how}${tail}`, step.location, `command: ${step.run}`);
      }
      const result: ExecutorResult = {
        outputs: [],
        externalInputs: Object.entries(step.inputs).map(([name, p]) => ({ name, type: 'File', path: p })),
      };
      for (const [name, p] of Object.entries(step.outputs)) {
        const stat = await fs.stat(p).catch(() => undefined);
        if (!stat) {
          throw UserError.at(`step '${step.name}' declared the output '${name}' but did not write ${p}`, step.location);
        }
        const model = step.models[name];
        const properties = model && { flavor: model.flavor, ...(model.signature ? { signature: model.signature } : {}) };
        result.outputs.push(
          model
            ? { name, type: 'Model', path: p, managed: false, properties }
            : { name, type: stat.isDirectory() ? 'Directory' : 'File', path: p, managed: false },
        );
      }
      for (const logged of exit.logged) result.outputs.push(await stepOutput(step, logged));
      if (ctx.config.trainStep?.step === step.name) result.outputs = await withModelPackage(step, ctx, result.outputs);
      if (step.metrics) {
        const after = await mtime(step.metrics);
        if (after === undefined || after === metricsBefore) {
          ctx.log(`warning: step '${step.name}' did not write its metrics file ${step.metrics}`);
        } else {
          result.metrics = await readStepMetrics(step.metrics, step.name);
          result.summary = stepMetricsSummary(result.metrics);
        }
      }
      if (exit.tracked.lines) result.summary ??= trackedSummary(exit.tracked);
      return result;
    },
  };
}

async function requireInput(step: StepConfig, name: string, p: string) {
  try {
    return await digestPath(p);
  } catch {
    throw UserError.at(
      `step '${step.name}' input '${name}' not found: ${p}`,
      step.location,
      'inputs must exist before the step runs; produce them in an earlier step and list it in `after`',
    );
  }
}

async function requireFolder(step: StepConfig) {
  const stat = await fs.stat(step.cwd).catch(() => undefined);
  if (!stat?.isDirectory()) throw UserError.at(`step '${step.name}' working directory not found: ${step.cwd}`, step.location);
}

function stepEnvironment(step: StepConfig, ctx: ExecutorContext): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...step.env };
  const key = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  env.MLOPS_PIPELINE = ctx.config.name;
  env.MLOPS_RUN_ID = String(ctx.runId);
  env.MLOPS_STEP = step.name;
  env.MLOPS_SEED = String(ctx.config.seed);
  // The Node running mlops (the editor's own when launched from VS Code), so steps can use node without a separate install.
  env.MLOPS_NODE = process.execPath;
  for (const [name, p] of Object.entries(step.inputs)) env[`MLOPS_INPUT_${key(name)}`] = p;
  for (const [name, p] of Object.entries(step.outputs)) env[`MLOPS_OUTPUT_${key(name)}`] = p;
  if (step.metrics) env.MLOPS_METRICS_FILE = step.metrics;
  env.MLOPS_TRACKING_FD = String(TRACKING_FD);
  // `import mlops` works in the step's Python without installing anything.
  const client = pythonClientDir();
  if (client) env.PYTHONPATH = [client, env.PYTHONPATH].filter(Boolean).join(path.delimiter);
  for (const [component, artifacts] of ctx.inputs) {
    for (const a of artifacts) env[`MLOPS_UPSTREAM_${key(component)}_${key(a.name)}`] = a.uri;
  }
  return env;
}

interface CommandExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderrTail: string[];
  tracked: TrackingSummary;
  /** Artifacts and models the step's code logged, by name. */
  logged: TrackedArtifact[];
  /** The store refused what the step tracked: the step is stopped, since what it logs would be lost. */
  trackingFailure?: unknown;
}

function runCommand(step: StepConfig, ctx: ExecutorContext): Promise<CommandExit> {
  return new Promise((resolve, reject) => {
    const posix = process.platform !== 'win32';
    // Its own process group on POSIX, so cancel stops the whole tree the shell started.
    const child = spawn(step.run, { cwd: step.cwd, env: stepEnvironment(step, ctx), shell: true, detached: posix, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    const stderrTail: string[] = [];
    let trackingFailure: unknown;
    const logged = new LoggedArtifacts(step.cwd, new Set(Object.keys(step.outputs)));
    const ingest = new TrackingIngest({
      artifact: (record) => logged.add(record),
      logMetrics: (points) => ctx.tracking.logMetrics(points),
      logParams: (params) => ctx.tracking.logParams(params),
      setTags: (tags) => ctx.tracking.setTags(tags),
      log: (line) => ctx.log(line),
    });
    const tracked = (write: () => void) => {
      if (trackingFailure !== undefined) return;
      try {
        write();
      } catch (e) {
        trackingFailure = UserError.at(`step '${step.name}': what it tracked could not be stored: ${errorMessage(e)}`, step.location);
        ctx.log(`tracking: ${errorMessage(e)}; stopping the step`);
        kill('SIGTERM');
      }
    };
    createInterface({ input: child.stdio[TRACKING_FD] as Readable }).on('line', (line) => tracked(() => ingest.line(line)));
    createInterface({ input: child.stdio[1] as Readable }).on('line', (line) => ctx.log(line));
    createInterface({ input: child.stdio[2] as Readable }).on('line', (line) => {
      ctx.log(line);
      stderrTail.push(line);
      if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
    });
    const kill = (signal: NodeJS.Signals) => {
      try {
        if (posix && child.pid) process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        // already gone
      }
    };
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      kill('SIGTERM');
      killTimer = setTimeout(() => kill('SIGKILL'), KILL_GRACE_MS);
    };
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    // A cancel that came while the step was being prepared has already fired its event.
    if (ctx.signal.aborted) onAbort();
    child.on('error', (e) => reject(UserError.at(`step '${step.name}' could not start: ${e.message}`, step.location)));
    child.on('close', (code, signal) => {
      ctx.signal.removeEventListener('abort', onAbort);
      clearTimeout(killTimer);
      let summary: TrackingSummary = { lines: 0, points: 0, problems: 0 };
      tracked(() => (summary = ingest.close()));
      resolve({ code, signal, stderrTail, tracked: summary, logged: logged.all, trackingFailure });
    });
  });
}

/** A logged artifact or model as an output of the step's execution; its file must be there. */
async function stepOutput(step: StepConfig, logged: TrackedArtifact): Promise<ProducedArtifact> {
  const output = await loggedOutput(logged);
  if (!output) throw UserError.at(`step '${step.name}' logged the ${logged.type} '${logged.name}' at ${logged.path}, but nothing is there`, step.location);
  return { ...output, managed: false };
}

/**
 * The step trains the pipeline's model (`train.step`): its one ONNX model becomes the package
 * evaluate and push take, as the `model` output, with the transform's column types and label encoding.
 */
async function withModelPackage(step: StepConfig, ctx: ExecutorContext, outputs: ProducedArtifact[]): Promise<ProducedArtifact[]> {
  const models = outputs.filter((o) => o.type === 'Model' && o.properties?.flavor === 'onnx');
  if (models.length !== 1) {
    const plain = outputs.filter((o) => o.type === 'File' && o.path.endsWith('.onnx')).map((o) => `'${o.name}'`);
    const declare = plain.length
      ? ` (${plain.join(', ')} ${plain.length === 1 ? 'is a plain output' : 'are plain outputs'}: declare it as { format: onnx, path: … })`
      : '';
    throw UserError.at(
      models.length === 0
        ? `step '${step.name}' trains the pipeline's model (train.step), but it gave no ONNX model${declare}`
        : `step '${step.name}' gave ${models.length} ONNX models (${models.map((m) => m.name).join(', ')}); train.step takes one`,
      step.location,
      'call mlops.log_model("model.onnx") once in the script, or declare outputs: { model: { format: onnx, path: model.onnx } }',
    );
  }
  const [source] = models;
  const clash = outputs.find((o) => o !== source && o.name === 'model');
  if (clash)
    throw UserError.at(
      `step '${step.name}' has an output named 'model' besides its ONNX model: the package takes that name`,
      step.location,
      'rename the other output',
    );
  const dir = await ctx.outputDir('model');
  const manifest = await writeOnnxPackage({
    file: source.path,
    transform: await loadTransformGraph(upstreamArtifact(ctx, 'transform', 'transform_graph').uri),
    signature: source.properties?.signature,
    dir,
    where: step.location,
  });
  const properties = { flavor: 'onnx', task: manifest.task, weightsHash: manifest.weightsHash, source: source.path, graphInputs: manifest.onnx!.inputs.length };
  // The class order the output is read in: what a script with a width-2 or multiclass output must match.
  const classes = manifest.signature.classes?.length ? ` · output read as ${manifest.signature.classes.join(', ')}` : '';
  ctx.log(
    `model package: ${source.path} → ${manifest.task} model reading ${manifest.onnx!.inputs.map((i) => `${i.name} ← ${i.columns.join(', ')}`).join('; ')}${classes}`,
  );
  return [...outputs.filter((o) => o !== source), { name: 'model', type: 'Model', path: dir, managed: true, properties }];
}

async function mtime(file: string): Promise<number | undefined> {
  return (await fs.stat(file).catch(() => undefined))?.mtimeMs;
}

function trackedSummary(t: TrackingSummary): string {
  const problems = t.problems ? ` · ${t.problems} tracking problem${t.problems === 1 ? '' : 's'}` : '';
  return `tracked ${t.points.toLocaleString('en-US')} metric point${t.points === 1 ? '' : 's'}${problems}`;
}
