import type { MetricSeriesCursor } from '../../core/store/types';
import type { CompareSource, CompareView, CurvesData } from '../../shared/compare';
import type { StoreService } from '../store/storeService';
import { downsampleIndices, pick } from '../training/downsample';
import { buildCompareView } from './collect';

/** All the trials of one tuning run, whatever their number. */
const ALL = Number.MAX_SAFE_INTEGER;
/** Points drawn per metric chart over all runs: each run's curve gets a share, at least MIN_PER_RUN. */
const CURVE_POINTS = 20_000;
const MIN_PER_RUN = 50;
const PAGE = 50_000;

export function curveBudget(runs: number): number {
  return Math.max(MIN_PER_RUN, Math.floor(CURVE_POINTS / Math.max(1, runs)));
}

function emptyMessage(source: CompareSource): string {
  switch (source.kind) {
    case 'checked':
      return 'No runs are ticked. Tick the runs to compare in the Runs view (the box beside each run); this panel follows the ticks.';
    case 'runs':
      return 'None of these runs is in the store any more (deleted, or the store moved).';
    case 'trials':
      return `Run #${source.parentRunId} has no tuning trials (yet): trials appear here as the tuner finishes them.`;
  }
}

/** The comparison as the store has it now; a message when there is nothing to compare. */
export function readComparison(store: StoreService, source: CompareSource, checked: readonly number[]): { view: CompareView } | { message: string } {
  const view = store.read((s) => {
    const runs =
      source.kind === 'trials'
        ? s.listRuns({ parent: source.parentRunId, sort: 'id', order: 'asc', limit: ALL }).runs
        : s.getRuns(source.kind === 'checked' ? checked : source.runIds);
    if (!runs.length) return undefined;
    const ids = runs.map((r) => r.id);
    return buildCompareView({
      source,
      title: '',
      runs,
      params: s.paramsOfRuns(ids),
      finals: s.finalMetrics(ids),
      parentParams: source.kind === 'trials' ? s.paramsOfRuns([source.parentRunId]).get(source.parentRunId) : undefined,
      curveBudget: curveBudget(runs.length),
    });
  }, undefined);
  return view ? { view } : { message: emptyMessage(source) };
}

/** One metric's curve for every run, each down-sampled to `budget` points; runs without the key are left out. */
export async function readCurves(store: StoreService, runIds: readonly number[], key: string, budget: number): Promise<CurvesData['runs']> {
  const out: CurvesData['runs'] = [];
  for (const runId of runIds) {
    const steps: number[] = [];
    const values: number[] = [];
    let cursor: MetricSeriesCursor | null = null;
    for (;;) {
      const page = store.read((s) => s.metricPoints(runId, key, cursor, PAGE), undefined);
      if (!page) break;
      for (let i = 0; i < page.steps.length; i++) {
        steps.push(page.steps[i]);
        values.push(page.values[i]);
      }
      cursor = page.cursor;
      if (page.done) break;
      // A long per-batch curve: let the rest of the extension host run between pages.
      await new Promise((r) => setImmediate(r));
    }
    const keep = downsampleIndices(steps, values, budget);
    if (keep.length) out.push({ runId, steps: pick(steps, keep), values: pick(values, keep) });
  }
  return out;
}
