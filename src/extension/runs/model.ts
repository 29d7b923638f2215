import type { RunDetails, RunRecord } from '../../core/store/types';
import type { StoreService } from '../store/storeService';

/** Rows fetched per pipeline group at a time: a tree of 10,000 runs shows the newest first. */
export const PAGE_SIZE = 200;

export interface RunGroup {
  pipeline: string;
  total: number;
  newest: RunRecord | undefined;
  /** Loaded rows, newest first; undefined until the group is first expanded. */
  runs: RunRecord[] | undefined;
  /** Tuning trials per loaded run (runs without trials are absent). */
  trials: ReadonlyMap<number, number>;
  /** How many rows the group shows (grows by PAGE_SIZE with "Load more…"). */
  limit: number;
}

export interface RunsChange {
  /** The list of groups (or their order) changed: refresh from the root. */
  root: boolean;
  /** Groups whose header or loaded rows changed. */
  groups: string[];
}

/**
 * What the Runs tree shows, read lazily from the store: group headers (one small query per
 * pipeline), and a group's rows only once it is expanded. `refresh()` re-reads exactly what is
 * loaded and reports what changed, so the tree can fire for those nodes only.
 */
export class RunsModel {
  private groups = new Map<string, RunGroup>();
  private order: string[] = [];
  private readonly details = new Map<number, RunDetails | undefined>();
  private loadedHeaders = false;

  constructor(private readonly store: StoreService) {}

  groupList(): RunGroup[] {
    if (!this.loadedHeaders) this.refresh();
    return this.order.map((p) => this.groups.get(p)!).filter(Boolean);
  }

  group(pipeline: string): RunGroup | undefined {
    return this.groups.get(pipeline);
  }

  runsOf(pipeline: string): RunRecord[] {
    const group = this.groups.get(pipeline);
    if (!group) return [];
    if (!group.runs) Object.assign(group, this.fetchRuns(pipeline, group.limit));
    return group.runs ?? [];
  }

  loadMore(pipeline: string): void {
    const group = this.groups.get(pipeline);
    if (!group) return;
    group.limit += PAGE_SIZE;
    Object.assign(group, this.fetchRuns(pipeline, group.limit));
  }

  /** How many tuning trials a loaded run has. */
  trialCount(runId: number): number {
    for (const g of this.groups.values()) {
      const n = g.trials.get(runId);
      if (n !== undefined) return n;
    }
    return 0;
  }

  /** A tuning run's trials, oldest first (the order they ran in). */
  trialsOf(runId: number): RunRecord[] {
    return this.store.read((s) => s.listRuns({ parent: runId, sort: 'id', order: 'asc', limit: Number.MAX_SAFE_INTEGER }).runs, []);
  }

  /** Parameters, metrics and artifacts of a run, read once per refresh of its group. */
  detailsOf(runId: number): RunDetails | undefined {
    if (!this.details.has(runId))
      this.details.set(
        runId,
        this.store.read((s) => s.getRunDetails(runId), undefined),
      );
    return this.details.get(runId);
  }

  /** Every loaded run, for lookups by id (the Open Run quick pick prefers a fresh query). */
  findLoaded(runId: number): RunRecord | undefined {
    for (const g of this.groups.values()) {
      const hit = g.runs?.find((r) => r.id === runId);
      if (hit) return hit;
    }
    return undefined;
  }

  refresh(): RunsChange {
    this.loadedHeaders = true;
    const pipelines = this.store.read((s) => s.listPipelines().map((p) => p.name), [] as string[]);
    const next = new Map<string, RunGroup>();
    for (const pipeline of new Set(pipelines)) {
      const page = this.store.read((s) => s.listRuns({ pipeline, sort: 'id', order: 'desc', limit: 1 }), { runs: [], total: 0 });
      if (page.total === 0) continue;
      const previous = this.groups.get(pipeline);
      const group: RunGroup = { pipeline, total: page.total, newest: page.runs[0], runs: undefined, trials: new Map(), limit: previous?.limit ?? PAGE_SIZE };
      if (previous?.runs) Object.assign(group, this.fetchRuns(pipeline, group.limit));
      next.set(pipeline, group);
    }
    const order = [...next.values()]
      .sort((a, b) => (b.newest?.startedAt ?? 0) - (a.newest?.startedAt ?? 0) || a.pipeline.localeCompare(b.pipeline))
      .map((g) => g.pipeline);

    const root = order.join('\n') !== this.order.join('\n');
    const changed: string[] = [];
    for (const [pipeline, group] of next) {
      const previous = this.groups.get(pipeline);
      // A running run's metrics and artifacts grow without its row changing: always re-read it.
      const live = group.runs?.some((r) => r.status === 'running') ?? false;
      if (!previous || live || groupSignature(previous) !== groupSignature(group)) changed.push(pipeline);
    }
    // Details are re-read lazily, when the tree asks for an expanded run's children again.
    for (const pipeline of changed) for (const run of next.get(pipeline)?.runs ?? []) this.details.delete(run.id);
    for (const run of [...this.details.keys()]) if (!isLoaded(next, run)) this.details.delete(run);
    this.groups = next;
    this.order = order;
    return { root, groups: root ? [] : changed };
  }

  private fetchRuns(pipeline: string, limit: number): Pick<RunGroup, 'runs' | 'trials'> {
    return this.store.read(
      (s) => {
        const runs = s.listRuns({ pipeline, sort: 'id', order: 'desc', limit, offset: 0 }).runs;
        return { runs, trials: s.childRunCounts(runs.map((r) => r.id)) };
      },
      { runs: [], trials: new Map() },
    );
  }
}

function runSignature(r: RunRecord, trials = 0): string {
  return `${r.id}:${r.status}:${r.endedAt ?? ''}:${trials}`;
}

function groupSignature(g: RunGroup): string {
  const rows = g.runs ? g.runs.map((r) => runSignature(r, g.trials.get(r.id))).join(',') : '-';
  return `${g.total}|${g.newest ? runSignature(g.newest) : ''}|${g.limit}|${rows}`;
}

/** Is the run still among the loaded rows (so its cached details may stay)? */
function isLoaded(groups: Map<string, RunGroup>, runId: number): boolean {
  for (const g of groups.values()) if (g.runs?.some((r) => r.id === runId)) return true;
  return false;
}
