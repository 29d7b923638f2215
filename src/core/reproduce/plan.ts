import { promises as fs } from 'node:fs';
import { loadBackend, type BackendChoice } from '../model/backend';
import { planSources } from '../data/sources';
import { parsePipeline } from '../pipeline/parse';
import type { PipelineConfig } from '../pipeline/config';
import { gitState, uncommittedFiles } from '../runner/provenance';
import type { RunStore } from '../store';
import type { NewRunFile, RecordedInput, RunRecord } from '../store/types';
import { errorMessage } from '../util/errorMessage';
import { digestPath } from '../util/hash';
import { isUserError, UserError } from '../util/problems';
import { reproductionDifferences, type Difference, type ReproductionFacts } from './differences';

export interface ReproductionPlan {
  run: RunRecord;
  /** The pipeline as the run ran it: its stored file parsed at its recorded path, its tfjs backend asked for. */
  config: PipelineConfig;
  differences: Difference[];
  /** The stored files the run ran, with their bytes: the reproduction runs them and records them as its own. */
  files: NewRunFile[];
  /** Stored scripts that are no longer on disk as the run had them: the reproduction runs their stored copy. */
  editedScripts: NewRunFile[];
}

/** Input artifacts whose content decides the results; step outputs read back as inputs are made by the run itself. */
const CHECKED_INPUTS = new Set(['DataFile', 'File', 'Directory', 'Schema']);

/** What re-running a recorded run would run, and every way that differs from what the run had. */
export async function planReproduction(store: RunStore, runId: number, now: { toolVersion: string; nodeVersion: string }): Promise<ReproductionPlan> {
  const run = reproducibleRun(store, runId);
  const files = store.runFiles(runId).map((f) => ({ path: f.path, role: f.role, hash: f.hash, bytes: store.storedContent(f.hash)! }));
  const stored = files.find((f) => f.role === 'pipeline');
  const parsed = parsePipeline(stored ? Buffer.from(stored.bytes).toString('utf8') : await currentText(run), run.pipelineFile);
  const errors = parsed.problems.filter((p) => p.severity === 'error');
  if (errors.length || !parsed.config) {
    const copy = stored ? 'the stored copy of its pipeline file' : 'its pipeline file';
    throw new UserError([{ severity: 'error', message: `run #${runId} cannot be reproduced: ${copy} does not pass this mlops's checks` }, ...errors]);
  }
  let config = parsed.config;

  const scripts = files.filter((f) => f.role === 'script');
  const scriptsNow = await Promise.all(scripts.map((s) => currentHash(s.path)));
  const inputs = checkedInputs(store.recordedInputs(runId), config);
  const backend = run.tfjsBackend !== null && config.train ? await backendCheck(run.tfjsBackend, config) : undefined;
  if (backend && backend.failure === undefined) config = { ...config, train: { ...config.train!, backend: backend.choice } };
  const facts: ReproductionFacts = {
    run,
    dir: config.dir,
    toolVersion: now.toolVersion,
    nodeVersion: now.nodeVersion,
    git: await gitNow(config.dir, files),
    pipeline: { stored: stored !== undefined, current: await currentHash(run.pipelineFile) },
    scripts: scripts.map((s, i) => ({ path: s.path, recorded: s.hash, current: scriptsNow[i] })),
    inputs: await Promise.all(inputs.map(async (input) => ({ input, current: await currentHash(input.uri) }))),
    ...(await dataNow(config, inputs)),
    unknownInputs: store.componentsWithUnknownInputs(runId),
    seed: config.seed,
    backend: backend && { recorded: run.tfjsBackend!, failure: backend.failure },
  };
  return {
    run,
    config,
    differences: reproductionDifferences(facts),
    files,
    editedScripts: scripts.filter((_, i) => scriptsNow[i] !== scripts[i].hash),
  };
}

function reproducibleRun(store: RunStore, runId: number): RunRecord {
  const run = store.getRun(runId);
  if (!run) throw UserError.at(`no run #${runId} in this store`, undefined, 'see `mlops runs list`; use --store to pick another store');
  if (run.status === 'running') throw UserError.at(`run #${runId} is still running`, undefined, 'wait for it to finish, then reproduce it');
  if (run.parentRunId !== null) {
    throw UserError.at(`run #${runId} is a tuning trial of run #${run.parentRunId}`, undefined, `reproduce the tuning run: mlops reproduce ${run.parentRunId}`);
  }
  if (store.getRunDetails(runId)!.executions.some((e) => e.type === 'script')) {
    throw UserError.at(
      `run #${runId} was recorded by a script outside a pipeline (mlops track): only pipeline runs can be reproduced`,
      undefined,
      'run the script again',
    );
  }
  return run;
}

/** A run from before stored pipeline files: the file on disk, when it is still there. */
async function currentText(run: RunRecord): Promise<string> {
  try {
    return await fs.readFile(run.pipelineFile, 'utf8');
  } catch {
    throw UserError.at(`run #${run.id}'s pipeline file is gone and the store has no copy of it (the run is older than stored pipeline files)`, {
      file: run.pipelineFile,
    });
  }
}

function currentHash(file: string): Promise<string | null> {
  return digestPath(file).then(
    (d) => d.hash,
    () => null,
  );
}

/** One entry per file; leaves out what the pipeline's own steps write (it is made again). */
function checkedInputs(recorded: RecordedInput[], config: PipelineConfig): RecordedInput[] {
  const written = new Set(config.steps.flatMap((s) => Object.values(s.outputs)));
  const seen = new Set<string>();
  return recorded.filter((i) => {
    if (!CHECKED_INPUTS.has(i.type) || written.has(i.uri) || seen.has(i.uri)) return false;
    seen.add(i.uri);
    return true;
  });
}

/** Data files the pipeline's patterns match now that the run did not read. */
async function dataNow(config: PipelineConfig, inputs: RecordedInput[]): Promise<Pick<ReproductionFacts, 'addedData' | 'dataProblem'>> {
  const read = new Set(inputs.filter((i) => i.type === 'DataFile').map((i) => i.uri));
  if (!read.size) return { addedData: [] };
  try {
    const { sources } = await planSources(config.data);
    return { addedData: sources.map((s) => s.file).filter((f) => !read.has(f)) };
  } catch (e) {
    if (!isUserError(e)) throw e;
    return { addedData: [], dataProblem: e.problems.map((p) => p.message).join('; ') };
  }
}

/** Files with uncommitted changes, leaving out those the store has the run's copy of. */
async function gitNow(dir: string, files: NewRunFile[]): Promise<ReproductionFacts['git']> {
  const { commit } = await gitState(dir);
  const real = (file: string) => fs.realpath(file).catch(() => file);
  const covered = new Set(await Promise.all(files.map((f) => real(f.path))));
  const changed = (await uncommittedFiles(dir)) ?? [];
  const changedReal = await Promise.all(changed.map(real));
  return { commit, uncommitted: changed.filter((_, i) => !covered.has(changedReal[i])) };
}

/** The run's backend as a `train.backend` choice, and why it does not start here. */
async function backendCheck(recorded: string, config: PipelineConfig): Promise<{ choice: BackendChoice; failure?: string }> {
  const choice: BackendChoice = recorded === 'tensorflow' ? 'node' : recorded === 'wasm' ? 'wasm' : 'cpu';
  try {
    await loadBackend(choice, config.train?.location);
    return { choice };
  } catch (e) {
    return { choice, failure: isUserError(e) ? e.problems[0].message : errorMessage(e) };
  }
}
