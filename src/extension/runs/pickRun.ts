import * as vscode from 'vscode';
import type { RunDetails, RunRecord } from '../../core/store/types';
import type { StoreService } from '../store/storeService';
import { runPickItems, type RunChoice } from './runChoices';

/** How many recent runs a run picker looks through. */
export const RECENT_RUNS = 200;

export interface RunPickOptions {
  title: string;
  placeHolder: string;
  /** The information message when there is no run to pick. */
  empty: string;
}

/** The run picker of every command that needs a run; it stays open when a panel takes the focus while it is shown. */
export async function pickRun(choices: readonly RunChoice[], o: RunPickOptions): Promise<number | undefined> {
  if (!choices.length) {
    void vscode.window.showInformationMessage(o.empty);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(runPickItems(choices, Date.now()), {
    title: o.title,
    placeHolder: o.placeHolder,
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  return picked?.runId;
}

/** Picks one of the recent runs (top-level, newest first). */
export function pickRecentRun(store: StoreService, title: string): Promise<number | undefined> {
  const page = store.read((s) => s.listRuns({ sort: 'id', order: 'desc', limit: RECENT_RUNS }), { runs: [], total: 0 });
  const runs = page.runs.map((r) => ({
    id: r.id,
    pipeline: r.pipelineName,
    status: r.status,
    startedAt: r.startedAt,
    trail: r.component ? `only ${r.component}` : undefined,
  }));
  return pickRun(runs, {
    title,
    placeHolder: page.total > RECENT_RUNS ? `The ${RECENT_RUNS} most recent of ${page.total} runs` : 'Run',
    empty: 'MLOps: there are no runs yet. Run a pipeline first.',
  });
}

/** The recent runs (newest first) whose details pass `has`, as picker choices. */
export function recentRunsWith(store: StoreService, has: (details: RunDetails, run: RunRecord) => boolean): RunChoice[] {
  return store
    .read((s) => {
      const { runs } = s.listRuns({ sort: 'id', order: 'desc', limit: RECENT_RUNS });
      return runs.filter((r) => {
        const d = s.getRunDetails(r.id);
        return !!d && has(d, r);
      });
    }, [])
    .map((r) => ({ id: r.id, pipeline: r.pipelineName, status: r.status, startedAt: r.startedAt }));
}
