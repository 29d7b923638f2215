import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ValidationReport } from '../../core/validate/types';
import type { StoreService } from '../store/storeService';
import { debounce } from '../util/debounce';
import { pipelineSchemaPath } from './locate';
import { absolutePath, readReport, reportFileOf, validationArtifacts, type RunValidation } from './report';
import { errorMessage } from '../../core/util/errorMessage';

/** How far back to look for a pipeline's latest run that validated (runs of one component don't). */
const RUNS_SEARCHED = 25;

/**
 * The validation results the editor shows: for each pipeline, its latest run with an Anomalies
 * artifact (diagnostics, code actions, the Drift view), and any run's on request (the panel).
 * Reloads when the store changes; `onDidChange` fires only when a different report became current.
 */
export class ValidationResults implements vscode.Disposable {
  private readonly _onDidChange = new vscode.EventEmitter<void>();
  readonly onDidChange = this._onDidChange.event;
  private current: RunValidation[] = [];
  private signature = '';
  private readonly reports = new Map<string, ValidationReport>();
  private loading: Promise<void> | undefined;
  private again = false;
  private readonly schedule = debounce(() => void this.refresh(), 200);
  private readonly disposables: vscode.Disposable[];
  /** Resolves after the first load. */
  readonly ready: Promise<void>;

  constructor(
    private readonly store: StoreService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables = [this._onDidChange, this.schedule, store.onDidChange(() => this.schedule())];
    this.ready = this.refresh();
  }

  /** The latest validation of each pipeline, newest first. */
  latest(): readonly RunValidation[] {
    return this.current;
  }

  /** Reloads now (coalescing concurrent calls); resolves when the results are current. */
  refresh(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = (async () => {
      do {
        this.again = false;
        await this.load();
      } while (this.again);
    })().finally(() => (this.loading = undefined));
    return this.loading;
  }

  /** One run's validation; undefined when the run has no (readable) Anomalies artifact. */
  async forRun(runId: number): Promise<RunValidation | undefined> {
    const details = this.store.read((s) => s.getRunDetails(runId), undefined);
    if (!details) return undefined;
    const found = validationArtifacts(details);
    if (!found) return undefined;
    const root = workspaceRoot();
    const pipelineFile = absolutePath(details.run.pipelineFile, root);
    const reportFile = reportFileOf(absolutePath(found.anomalies.uri, root));
    const key = `${found.anomalies.id}:${found.anomalies.contentHash}:${reportFile}`;
    let report = this.reports.get(key);
    if (!report) {
      try {
        report = await readReport(reportFile);
      } catch (e) {
        this.log.warn(`run #${runId}: cannot read its anomalies: ${errorMessage(e)}`);
        return undefined;
      }
      this.reports.set(key, report);
    }
    const schemaFile = found.schema ? absolutePath(found.schema.uri, root) : await schemaFromPipeline(pipelineFile);
    return {
      runId,
      pipeline: details.run.pipelineName,
      pipelineFile,
      startedAt: details.run.startedAt,
      artifactId: found.anomalies.id,
      contentHash: found.anomalies.contentHash,
      reportFile,
      schemaFile,
      report,
    };
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private async load(): Promise<void> {
    const candidates = this.store.read(
      (s) => s.listPipelines().map((p) => s.listRuns({ pipeline: p.name, limit: RUNS_SEARCHED }).runs.map((r) => r.id)),
      [] as number[][],
    );
    const found: RunValidation[] = [];
    for (const runIds of candidates) {
      for (const id of runIds) {
        const v = await this.forRun(id);
        if (v) {
          found.push(v);
          break;
        }
      }
    }
    found.sort((a, b) => b.startedAt - a.startedAt);
    const signature = JSON.stringify(found.map((v) => [v.runId, v.artifactId, v.contentHash, v.schemaFile]));
    this.current = found;
    if (signature === this.signature) return;
    this.signature = signature;
    // Reports of runs no longer current are not needed again soon.
    const keep = new Set(found.map((v) => v.report));
    for (const [k, r] of this.reports) if (!keep.has(r)) this.reports.delete(k);
    this._onDidChange.fire();
  }
}

export function workspaceRoot(): string {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
}

async function schemaFromPipeline(pipelineFile: string): Promise<string | undefined> {
  try {
    const schema = pipelineSchemaPath(await readFile(pipelineFile, 'utf8'));
    return schema === undefined ? undefined : path.resolve(path.dirname(pipelineFile), schema);
  } catch {
    return undefined;
  }
}
