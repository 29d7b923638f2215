import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { TrainConfig } from '../pipeline/config';
import { writeFileAtomic } from '../util/atomic';
import { sha256 } from '../util/hash';
import type { TrialParams } from './types';

/**
 * What a tuning has done so far, in `<checkpoint dir>/tuning.json`: enough to continue it with
 * `mlops run --resume` without training a finished trial again. Each trial's checkpoints are in
 * `<checkpoint dir>/trials/<n>/`.
 */
export const STATE_FORMAT = 'mlops-tuning';
export const STATE_VERSION = 1;
export const STATE_FILE = 'tuning.json';
export const TRIALS_FOLDER = 'trials';

export interface TuneState {
  format: typeof STATE_FORMAT;
  version: number;
  /** Hash of the train and tune settings: a resumed tuning must be the same tuning. */
  settings: string;
  trials: StoredTrial[];
}

export interface StoredTrial {
  trial: number;
  runId: number;
  params: TrialParams;
  /** `running` until the strategy decides: complete, failed, or stopped by Hyperband. */
  status: 'running' | 'complete' | 'failed' | 'stopped';
  /** The epoch the trial has been trained until (by finished jobs). */
  epochs: number;
  /** Early stopping ended it before its budget: it cannot train further. */
  stoppedEarly: boolean;
  /** The objective per epoch (index = epoch - 1); null where it is unknown or not finite. */
  objective: (number | null)[];
  error?: string;
  backend?: string;
}

export function trialFolder(checkpointDir: string, trial: number): string {
  return path.join(checkpointDir, TRIALS_FOLDER, String(trial));
}

/**
 * The hash that ties a state file to the settings that made it. Source locations and the number
 * of worker processes are left out: neither changes what the trials compute.
 */
export function settingsHash(train: TrainConfig): string {
  return sha256(JSON.stringify(train, (key, value) => (key === 'location' || key === 'parallel' ? undefined : value)));
}

/** The recorded state, or undefined when there is none (or it is not a tuning state this version reads). */
export async function readState(checkpointDir: string): Promise<TuneState | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path.join(checkpointDir, STATE_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const state = JSON.parse(text) as TuneState;
    return state.format === STATE_FORMAT && state.version === STATE_VERSION && Array.isArray(state.trials) ? state : undefined;
  } catch {
    return undefined;
  }
}

/** Removes an earlier tuning's state and trial folders: a new tuning never sees them. */
export async function clearState(checkpointDir: string): Promise<void> {
  await fs.rm(path.join(checkpointDir, STATE_FILE), { force: true });
  await fs.rm(path.join(checkpointDir, TRIALS_FOLDER), { recursive: true, force: true });
}

/**
 * Writes the state as it changes, atomically, one write at a time: a change during a write is
 * written right after it, and many changes in between make one write.
 */
export class StateWriter {
  private writing: Promise<void> | undefined;
  private dirty = false;

  constructor(
    private readonly checkpointDir: string,
    private readonly state: TuneState,
  ) {}

  save(): Promise<void> {
    this.dirty = true;
    this.writing ??= this.drain();
    return this.writing;
  }

  private async drain(): Promise<void> {
    try {
      await fs.mkdir(this.checkpointDir, { recursive: true });
      while (this.dirty) {
        this.dirty = false;
        await writeFileAtomic(path.join(this.checkpointDir, STATE_FILE), JSON.stringify(this.state, null, 1));
      }
    } finally {
      // No await between the last check of `dirty` and here: a save() after it starts a new drain.
      this.writing = undefined;
    }
  }
}
