import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { Anomaly } from '../../core/validate/types';
import type { SourceLocation } from '../../core/util/problems';
import { debounce } from '../util/debounce';
import { currentText } from './apply';
import { fixesFor, type SchemaFix } from './fixes';
import { pipelineDataLocation, schemaEntryLocation } from './locate';
import type { RunValidation } from './report';
import type { ValidationResults } from './results';
import { isFixApplied } from './schemaEdits';
import { errorMessage } from '../../core/util/errorMessage';

/** A diagnostic and what it came from, for the code actions that fix it. */
export interface AnomalyEntry {
  diagnostic: vscode.Diagnostic;
  anomaly: Anomaly;
  validation: RunValidation;
  fixes: SchemaFix[];
}

const EDIT_DEBOUNCE_MS = 300;

/**
 * Anomalies of each pipeline's latest validation in the Problems view: on the schema file at the
 * feature's entry, or on the pipeline file's `schema:` / `data:` line for dataset-level ones. An
 * anomaly whose fix the schema already carries (the user applied it, the next run will tell) is
 * left out. Positions follow the open documents' unsaved text.
 */
export class AnomalyDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('mlops-anomalies');
  private entries = new Map<string, AnomalyEntry[]>();
  private tracked = new Set<string>();
  private readonly _onDidUpdate = new vscode.EventEmitter<void>();
  /** Fired after the diagnostics were recomputed (tests wait on it). */
  readonly onDidUpdate = this._onDidUpdate.event;
  private readonly schedule = debounce(() => void this.update(), EDIT_DEBOUNCE_MS);
  private generation = 0;
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly results: ValidationResults,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const touched = (d: vscode.TextDocument) => {
      if (d.uri.scheme === 'file' && this.tracked.has(d.uri.fsPath)) this.schedule();
    };
    this.disposables = [
      this.collection,
      this._onDidUpdate,
      this.schedule,
      results.onDidChange(() => void this.update()),
      vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length && touched(e.document)),
      vscode.workspace.onDidCloseTextDocument(touched),
    ];
    void results.ready.then(() => this.update());
  }

  /** The entries on a file, matched to the diagnostics VS Code hands to code actions. */
  entriesFor(uri: vscode.Uri): readonly AnomalyEntry[] {
    return this.entries.get(uri.toString()) ?? [];
  }

  /** Recomputes every diagnostic; resolves when they are set. */
  async update(): Promise<void> {
    const generation = ++this.generation;
    const next = new Map<string, AnomalyEntry[]>();
    const tracked = new Set<string>();
    for (const v of this.results.latest()) {
      try {
        for (const e of await entriesOf(v)) {
          const key = vscode.Uri.file(e.file).toString();
          next.set(key, [...(next.get(key) ?? []), e.entry]);
        }
      } catch (e) {
        this.log.warn(`anomalies of run #${v.runId}: ${errorMessage(e)}`);
      }
      if (v.schemaFile) tracked.add(v.schemaFile);
      tracked.add(v.pipelineFile);
    }
    if (generation !== this.generation) return; // a newer update is under way
    this.entries = next;
    this.tracked = tracked;
    this.collection.clear();
    for (const [key, list] of next)
      this.collection.set(
        vscode.Uri.parse(key),
        list.map((e) => e.diagnostic),
      );
    this._onDidUpdate.fire();
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

const SEVERITY = { error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning };

async function entriesOf(v: RunValidation): Promise<{ file: string; entry: AnomalyEntry }[]> {
  const schemaText = v.schemaFile ? await currentText(v.schemaFile).catch(() => undefined) : undefined;
  let pipelineText: string | null | undefined;
  const pipeline = async () => {
    if (pipelineText === undefined)
      pipelineText = await currentText(v.pipelineFile)
        .catch(() => readFile(v.pipelineFile, 'utf8'))
        .catch(() => null);
    return pipelineText;
  };
  const out: { file: string; entry: AnomalyEntry }[] = [];
  for (const anomaly of v.report.anomalies) {
    const fixes = fixesFor(anomaly, v.report);
    if (schemaText !== undefined && fixes.some((f) => isFixApplied(schemaText, f))) continue;
    let file: string;
    let loc: SourceLocation;
    let text: string;
    const pipelineTextNow = anomaly.feature === null || schemaText === undefined ? await pipeline() : null;
    if (pipelineTextNow !== null) {
      file = v.pipelineFile;
      text = pipelineTextNow;
      loc = pipelineDataLocation(text, file);
    } else if (schemaText !== undefined && v.schemaFile) {
      file = v.schemaFile;
      text = schemaText;
      loc = schemaEntryLocation(text, file, anomaly.feature);
    } else continue;
    const where = anomaly.feature === null ? '' : `${anomaly.feature}: `;
    const d = new vscode.Diagnostic(
      toRange(loc, text),
      `${where}${anomaly.shortDescription}. ${anomaly.description} (${anomaly.dataset}, ${v.pipeline} run #${v.runId})`,
      SEVERITY[anomaly.severity],
    );
    d.source = 'mlops';
    d.code = anomaly.type;
    out.push({ file, entry: { diagnostic: d, anomaly, validation: v, fixes } });
  }
  return out;
}

function toRange(loc: SourceLocation, text: string): vscode.Range {
  const lines = text.split(/\r?\n/);
  const line = Math.min(Math.max((loc.line ?? 1) - 1, 0), Math.max(lines.length - 1, 0));
  const length = lines[line]?.length ?? 0;
  const start = Math.min(Math.max((loc.column ?? 1) - 1, 0), length);
  const end = loc.endLine === loc.line && loc.endColumn ? Math.min(loc.endColumn - 1, length) : length;
  return new vscode.Range(line, start, line, Math.max(end, start));
}
