import * as vscode from 'vscode';
import { runIdOf } from '../runs/commands';
import type { StoreService } from '../store/storeService';
import { datasetChoices, suggestedPairs } from './collect';
import type { StatisticsPanels } from './index';
import { StatisticsFiles, statisticsArtifacts, statisticsFilePath } from './source';
import { pickRun, recentRunsWith } from '../runs/pickRun';
import type { RunChoice } from '../runs/runChoices';

/** `{ runId, a, b, feature? }`: how other views (the drift panel) deep-link into a comparison. */
export interface CompareRequest {
  runId: number;
  a: string;
  b: string | null;
  feature?: string;
}

export function isCompareRequest(v: unknown): v is CompareRequest {
  const o = v as CompareRequest | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    Number.isInteger(o.runId) &&
    typeof o.a === 'string' &&
    (o.b === null || o.b === undefined || typeof o.b === 'string') &&
    (o.feature === undefined || typeof o.feature === 'string')
  );
}

/** MLOps: Show Data Statistics and MLOps: Compare Datasets. */
export class StatisticsCommands {
  constructor(
    private readonly panels: StatisticsPanels,
    private readonly store: StoreService,
    private readonly files: StatisticsFiles,
  ) {}

  /** A run id or a Runs-tree node (run or artifact), else a pick of the runs that have statistics. */
  async show(arg?: unknown): Promise<void> {
    const runId = runIdOf(arg) ?? (await this.pickRun('Show Data Statistics'));
    if (runId !== undefined) this.panels.open(runId);
  }

  async compare(arg?: unknown): Promise<void> {
    if (isCompareRequest(arg)) {
      this.panels.open(arg.runId, { a: arg.a, b: arg.b ?? null, feature: arg.feature });
      return;
    }
    const runId = runIdOf(arg) ?? (await this.pickRun('Compare Datasets'));
    if (runId === undefined) return;
    const pair = await this.pickPair(runId);
    if (pair) this.panels.open(runId, pair);
  }

  /** Runs with a Statistics artifact, newest first. */
  runsWithStatistics(): RunChoice[] {
    return recentRunsWith(this.store, (d) => statisticsArtifacts(d).length > 0);
  }

  private pickRun(title: string): Promise<number | undefined> {
    return pickRun(this.runsWithStatistics(), {
      title,
      placeHolder: 'A run with data statistics',
      empty: 'MLOps: no run has data statistics yet. Add a statistics component to a pipeline and run it.',
    });
  }

  private async pickPair(runId: number): Promise<{ a: string; b: string | null } | undefined> {
    const details = this.store.read((s) => s.getRunDetails(runId), undefined);
    const [artifact] = details ? statisticsArtifacts(details) : [];
    if (!artifact) {
      void vscode.window.showWarningMessage(`MLOps: run #${runId} has no data statistics.`);
      return undefined;
    }
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    const datasets = datasetChoices(await this.files.read(statisticsFilePath(artifact.uri, root)));
    const choose = 'Choose two datasets…';
    const pairs = suggestedPairs(datasets);
    const picked = await vscode.window.showQuickPick(
      [
        ...pairs.map((p) => ({ label: `${p.a}  ↔  ${p.b}`, description: p.label, pair: p })),
        { label: choose, description: `${datasets.length} datasets`, pair: undefined },
      ],
      { ignoreFocusOut: true, title: `Compare Datasets · Run #${runId}`, placeHolder: 'Dataset A and B, side by side' },
    );
    if (!picked) return undefined;
    if (picked.pair) return picked.pair;
    const item = (d: (typeof datasets)[number]) => ({
      label: d.name,
      description: `${d.numExamples} examples${d.slice ? ` · slice ${d.slice}` : d.span ? ` · span ${d.span}` : ''}`,
    });
    const a = await vscode.window.showQuickPick(datasets.map(item), { ignoreFocusOut: true, title: 'Dataset A' });
    if (!a) return undefined;
    const b = await vscode.window.showQuickPick(datasets.filter((d) => d.name !== a.label).map(item), {
      ignoreFocusOut: true,
      title: `Dataset B (compared with ${a.label})`,
    });
    if (!b) return undefined;
    return { a: a.label, b: b.label };
  }
}
