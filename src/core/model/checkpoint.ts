import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../util/atomic';
import { UserError } from '../util/problems';
import type { EarlyStoppingState } from './earlyStopping';
import type { BackendName } from './types';

export const CHECKPOINT_FORMAT = 'mlops-checkpoint';
export const CHECKPOINT_VERSION = 1;
const LATEST = 'latest.json';
const STATE = 'state.json';
const BINARIES = { weights: 'weights.bin', optimizer: 'optimizer.bin', best: 'best.bin' } as const;

/**
 * Everything after an epoch that the rest of the training depends on. Shuffling and dropout masks
 * are functions of (seed, epoch) and (seed, step), so with the weights, the optimizer's slots and
 * step and the early-stopping state, a resumed training ends bit-identical to an uninterrupted one.
 */
export interface CheckpointState {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  /** Digest of the settings the training depends on: a checkpoint of other settings is not resumed. */
  key: string;
  backend: BackendName;
  /** The last completed epoch (1-based). */
  epoch: number;
  optimizerStep: number;
  earlyStopping: EarlyStoppingState | null;
  /** Early stopping ended the training at `epoch`. */
  stopped: boolean;
  /** Metrics of each completed epoch, `history[epoch - 1]`. */
  history: Record<string, number>[];
  /** Training examples streamed and seconds spent on them, over all epochs so far (examples/s). */
  trainedExamples: number;
  trainSeconds: number;
  /** sha256 of each binary file, checked on load. */
  digests: Partial<Record<keyof typeof BINARIES, string>>;
}

export interface Checkpoint {
  state: Omit<CheckpointState, 'format' | 'version' | 'digests'>;
  weights: Uint8Array;
  optimizer: Uint8Array;
  /** The weights of the best epoch so far, when early stopping restores them. */
  best?: Uint8Array;
}

const folderOf = (epoch: number) => `epoch-${String(epoch).padStart(4, '0')}`;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Writes the epoch's checkpoint into its own folder under a temporary name, renames it into place,
 * then points `latest.json` at it (an atomic rename too) and removes older epochs. A kill at any
 * moment leaves `latest.json` naming a complete checkpoint.
 */
export async function writeCheckpoint(dir: string, checkpoint: Checkpoint): Promise<void> {
  const folder = folderOf(checkpoint.state.epoch);
  const tmp = path.join(dir, `.${folder}.${process.pid}.tmp`);
  await fs.rm(tmp, { recursive: true, force: true });
  await fs.mkdir(tmp, { recursive: true });
  const digests: CheckpointState['digests'] = {};
  for (const key of Object.keys(BINARIES) as (keyof typeof BINARIES)[]) {
    const bytes = checkpoint[key];
    if (!bytes) continue;
    await fs.writeFile(path.join(tmp, BINARIES[key]), bytes);
    digests[key] = sha256(bytes);
  }
  const state: CheckpointState = { format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, ...checkpoint.state, digests };
  await fs.writeFile(path.join(tmp, STATE), JSON.stringify(state, null, 1));
  await fs.rm(path.join(dir, folder), { recursive: true, force: true });
  await fs.rename(tmp, path.join(dir, folder));
  await writeFileAtomic(path.join(dir, LATEST), JSON.stringify({ epoch: checkpoint.state.epoch, folder }) + '\n');
  for (const entry of await fs.readdir(dir)) {
    if (entry !== folder && entry !== LATEST) await fs.rm(path.join(dir, entry), { recursive: true, force: true });
  }
}

/** The last complete checkpoint in `dir`, or undefined when there is none. */
export async function readCheckpoint(dir: string): Promise<Checkpoint | undefined> {
  const latestFile = path.join(dir, LATEST);
  const latest = await fs.readFile(latestFile, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  if (latest === undefined) return undefined;
  const folder = path.join(dir, parse<{ folder: string }>(latest, latestFile).folder);
  const stateFile = path.join(folder, STATE);
  const state = parse<CheckpointState>(await readOrDamaged(stateFile, dir, 'utf8'), stateFile);
  if (state.format !== CHECKPOINT_FORMAT || state.version !== CHECKPOINT_VERSION) {
    throw damaged(dir, `${STATE} is not a ${CHECKPOINT_FORMAT} v${CHECKPOINT_VERSION} checkpoint`);
  }
  const binary = async (key: keyof typeof BINARIES) => {
    if (!state.digests[key]) return undefined;
    const bytes = new Uint8Array(await readOrDamaged(path.join(folder, BINARIES[key]), dir));
    if (sha256(bytes) !== state.digests[key]) throw damaged(dir, `${BINARIES[key]} does not match its digest`);
    return bytes;
  };
  const { format: _format, version: _version, digests: _digests, ...rest } = state;
  return { state: rest, weights: (await binary('weights'))!, optimizer: (await binary('optimizer'))!, best: await binary('best') };
}

async function readOrDamaged(file: string, dir: string): Promise<Buffer>;
async function readOrDamaged(file: string, dir: string, encoding: 'utf8'): Promise<string>;
async function readOrDamaged(file: string, dir: string, encoding?: 'utf8'): Promise<Buffer | string> {
  try {
    return await fs.readFile(file, encoding);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw damaged(dir, `${path.basename(file)} is missing`);
    throw e;
  }
}

function parse<T>(text: string, file: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw damaged(path.dirname(file), `${path.basename(file)} is not valid JSON (${(e as Error).message})`);
  }
}

function damaged(dir: string, why: string): UserError {
  return UserError.at(`the training checkpoint is damaged: ${why}`, { file: dir }, 'delete the checkpoint folder to train from the first epoch');
}
