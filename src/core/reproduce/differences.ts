import * as path from 'node:path';
import type { RecordedInput, RunRecord } from '../store/types';
import { shortHash } from '../util/format';

export type DifferenceKind = 'pipeline-file' | 'script' | 'data' | 'input' | 'schema' | 'git' | 'backend' | 'tool-version' | 'node-version' | 'seed';

/** One way in which re-running a recorded run now would not run it as it ran. */
export interface Difference {
  kind: DifferenceKind;
  /**
   * The reproduction would run on something other than what the run had: `mlops reproduce` refuses
   * unless forced. A difference that is not blocking is worked around (a stored copy runs) or
   * cannot matter to the result; it is said all the same.
   */
  blocking: boolean;
  /** What differs: a path, `commit`, `work tree`, `backend`, `mlops`, `node`, `seed`. */
  subject: string;
  recorded: string | null;
  current: string | null;
  message: string;
}

/** What the store knows of a run next to what the workspace and this process have now. */
export interface ReproductionFacts {
  run: RunRecord;
  /** Folder the pipeline file's relative paths resolve from; messages name files relative to it. */
  dir: string;
  toolVersion: string;
  nodeVersion: string;
  /**
   * HEAD of the pipeline folder's repository (null outside git) and its files with uncommitted
   * changes, leaving out the ones the store has the run's copy of (they run as they were).
   */
  git: { commit: string | null; uncommitted: string[] };
  /** The pipeline file: whether the store has the run's copy, and the hash of the file now (null: gone). */
  pipeline: { stored: boolean; current: string | null };
  /** Stored scripts with the hash of the file now (null: gone). */
  scripts: { path: string; recorded: string; current: string | null }[];
  /** Recorded inputs with the hash of the file now (null: gone). */
  inputs: { input: RecordedInput; current: string | null }[];
  /** Data files the pipeline reads now that the run did not read (a glob matching a new span). */
  addedData: string[];
  /** Why the data the pipeline names cannot be listed now (no file matches its pattern). */
  dataProblem?: string;
  /** Components the run reused from a run since deleted: what they read is not recorded. */
  unknownInputs: string[];
  /** The seed of the pipeline file that would run. */
  seed: number;
  /** The tfjs backend the run trained on, and why it does not start here (undefined: it does). */
  backend?: { recorded: string; failure?: string };
}

/** Every difference, blocking ones first, each in one sentence naming the file or setting. */
export function reproductionDifferences(f: ReproductionFacts): Difference[] {
  const { run } = f;
  const name = (file: string) => {
    const rel = path.relative(f.dir, file);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
  };
  const was = `run #${run.id}`;
  const out: Difference[] = [];
  const add = (d: Difference) => out.push(d);
  const hashes = (recorded: string | null, current: string | null) =>
    current === null ? `recorded ${shortHash(recorded)}, now missing` : `recorded ${shortHash(recorded)}, now ${shortHash(current)}`;

  if (f.pipeline.current !== run.pipelineHash) {
    const file = name(run.pipelineFile);
    const what = f.pipeline.current === null ? 'was deleted' : 'was edited';
    add({
      kind: 'pipeline-file',
      blocking: !f.pipeline.stored,
      subject: run.pipelineFile,
      recorded: run.pipelineHash,
      current: f.pipeline.current,
      message: f.pipeline.stored
        ? `pipeline file ${file} ${what} since ${was} (${hashes(run.pipelineHash, f.pipeline.current)}): the stored copy runs`
        : `pipeline file ${file} ${what} since ${was} (${hashes(run.pipelineHash, f.pipeline.current)}) and the store has no copy of it (the run is older than stored pipeline files)`,
    });
  }
  for (const s of f.scripts) {
    if (s.current === s.recorded) continue;
    add({
      kind: 'script',
      blocking: false,
      subject: s.path,
      recorded: s.recorded,
      current: s.current,
      message: `script ${name(s.path)} ${s.current === null ? 'was deleted' : 'was edited'} since ${was} (${hashes(s.recorded, s.current)}): the stored copy runs`,
    });
  }
  for (const { input, current } of f.inputs) {
    if (current === input.contentHash) continue;
    const kind = input.type === 'DataFile' ? 'data' : input.type === 'Schema' ? 'schema' : 'input';
    const what = kind === 'data' ? 'data file' : kind === 'schema' ? 'schema file' : `input '${input.name}' of step '${input.component}':`;
    add({
      kind,
      blocking: true,
      subject: input.uri,
      recorded: input.contentHash,
      current,
      message: `${what} ${name(input.uri)} ${current === null ? 'is gone' : 'changed'} (${hashes(input.contentHash, current)})`,
    });
  }
  for (const file of f.addedData) {
    add({
      kind: 'data',
      blocking: true,
      subject: file,
      recorded: null,
      current: file,
      message: `data file ${name(file)} is new: the pipeline's data pattern matches it now, ${was} did not read it`,
    });
  }
  if (f.dataProblem) add({ kind: 'data', blocking: true, subject: 'data', recorded: null, current: null, message: f.dataProblem });
  if (f.unknownInputs.length) {
    add({
      kind: 'data',
      blocking: true,
      subject: f.unknownInputs.join(', '),
      recorded: null,
      current: null,
      message: `what ${f.unknownInputs.join(', ')} read is not known: ${was} reused ${f.unknownInputs.length > 1 ? 'their' : 'its'} results from a run since deleted, so its data cannot be checked`,
    });
  }
  out.push(...gitDifferences(run, f.git, name));
  if (f.backend?.failure !== undefined) {
    add({
      kind: 'backend',
      blocking: true,
      subject: 'backend',
      recorded: f.backend.recorded,
      current: null,
      message: `${was} trained on the tfjs ${f.backend.recorded} backend, which does not start here (${f.backend.failure}); forced, it trains on the backend train.backend picks`,
    });
  }
  if (run.seed !== null && run.seed !== f.seed) {
    add({
      kind: 'seed',
      blocking: true,
      subject: 'seed',
      recorded: String(run.seed),
      current: String(f.seed),
      message: `${was} recorded seed ${run.seed}, the pipeline file that would run says ${f.seed}`,
    });
  }
  if (run.toolVersion !== f.toolVersion) {
    add({
      kind: 'tool-version',
      blocking: true,
      subject: 'mlops',
      recorded: run.toolVersion,
      current: f.toolVersion,
      message: `${was} was made with mlops ${run.toolVersion}, this is mlops ${f.toolVersion}`,
    });
  }
  if (run.nodeVersion !== null && run.nodeVersion !== f.nodeVersion) {
    add({
      kind: 'node-version',
      blocking: false,
      subject: 'node',
      recorded: run.nodeVersion,
      current: f.nodeVersion,
      message: `${was} ran on Node ${run.nodeVersion}, this is Node ${f.nodeVersion}`,
    });
  }
  return [...out.filter((d) => d.blocking), ...out.filter((d) => !d.blocking)];
}

function gitDifferences(run: RunRecord, git: ReproductionFacts['git'], name: (file: string) => string): Difference[] {
  const was = `run #${run.id}`;
  const short = (commit: string | null) => (commit ?? '').slice(0, 12);
  const d = (blocking: boolean, subject: string, current: string | null, message: string): Difference[] => [
    { kind: 'git', blocking, subject, recorded: subject === 'commit' ? run.gitCommit : String(run.gitDirty), current, message },
  ];
  if (run.gitCommit === null) {
    return git.commit === null
      ? []
      : d(false, 'commit', git.commit, `${was} was not made in a git repository: only its stored pipeline file and scripts are known`);
  }
  if (git.commit === null) return d(true, 'commit', null, `the pipeline's folder is not in a git repository now; ${was} ran at commit ${short(run.gitCommit)}`);
  if (git.commit !== run.gitCommit) {
    return d(
      true,
      'commit',
      git.commit,
      `commit ${short(run.gitCommit)} of ${was} is not checked out (HEAD is ${short(git.commit)}): git checkout ${run.gitCommit}`,
    );
  }
  if (run.gitDirty) {
    return d(false, 'work tree', null, `${was} ran with uncommitted changes: of those, only its stored pipeline file and scripts are known`);
  }
  if (!git.uncommitted.length) return [];
  const files = git.uncommitted.slice(0, 3).map(name).join(', ') + (git.uncommitted.length > 3 ? `, … (${git.uncommitted.length} files)` : '');
  return d(true, 'work tree', files, `uncommitted changes to ${files}; ${was} ran on a clean checkout of ${short(run.gitCommit)}`);
}
