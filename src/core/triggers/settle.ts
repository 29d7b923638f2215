/** One look at a span file: its size and modification time. */
export interface FileLook {
  file: string;
  bytes: number;
  mtimeMs: number;
}

/** What the watcher knows of the span files: those already counted, and new ones still being written. */
export interface SettleState {
  known: ReadonlySet<string>;
  /** A new file's last look and since when (epoch ms) it has looked that way. */
  pending: ReadonlyMap<string, { bytes: number; mtimeMs: number; since: number }>;
}

export interface SettleOutcome {
  state: SettleState;
  /** New files that have looked the same for the settle time: written, ready to run on. In name order. */
  settled: string[];
  /** New files seen for the first time in this look (they start settling). */
  appeared: string[];
}

/** The files there when watching starts are the spans the pipeline already has: not new. */
export function initialSettleState(files: readonly FileLook[]): SettleState {
  return { known: new Set(files.map((f) => f.file)), pending: new Map() };
}

/**
 * A new span counts once its size and modification time stayed the same for `settleMs`, so a file
 * still being copied or written is not run on half-done. A file that vanishes is forgotten (it is new
 * again when it comes back). Pure: the watcher gives the looks and the time.
 */
export function settle(state: SettleState, looks: readonly FileLook[], now: number, settleMs: number): SettleOutcome {
  const present = new Set(looks.map((l) => l.file));
  const known = new Set([...state.known].filter((f) => present.has(f)));
  const pending = new Map<string, { bytes: number; mtimeMs: number; since: number }>();
  const settled: string[] = [];
  const appeared: string[] = [];
  for (const look of looks) {
    if (known.has(look.file)) continue;
    const before = state.pending.get(look.file);
    if (!before) appeared.push(look.file);
    const same = before !== undefined && before.bytes === look.bytes && before.mtimeMs === look.mtimeMs;
    const since = same ? before.since : now;
    if (now - since >= settleMs && same) {
      settled.push(look.file);
      known.add(look.file);
    } else {
      pending.set(look.file, { bytes: look.bytes, mtimeMs: look.mtimeMs, since });
    }
  }
  return { state: { known, pending }, settled: settled.sort(), appeared: appeared.sort() };
}
