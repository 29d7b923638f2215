import * as vscode from 'vscode';
import type { Problem } from '../../core/util/problems';

const SEVERITY: Record<Problem['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/**
 * The range of a problem in a text, from the parser's 1-based line/column (end column exclusive,
 * as the YAML parser reports it). Without an end, the range covers the word (or the rest of the
 * line's text) at the start, so the squiggle is visible; without a line, the first line.
 */
export function problemRange(problem: Problem, lines: readonly string[]): vscode.Range {
  const loc = problem.location;
  const lineCount = Math.max(lines.length, 1);
  const clampLine = (l: number) => Math.min(Math.max(l, 0), lineCount - 1);
  if (loc?.line === undefined) return new vscode.Range(0, 0, 0, (lines[0] ?? '').length);
  const line = clampLine(loc.line - 1);
  const text = lines[line] ?? '';
  const start = Math.min(Math.max((loc.column ?? 1) - 1, 0), text.length);
  if (loc.endLine !== undefined && loc.endColumn !== undefined) {
    const endLine = clampLine(loc.endLine - 1);
    const endChar = Math.min(Math.max(loc.endColumn - 1, 0), (lines[endLine] ?? '').length);
    if (endLine > line || (endLine === line && endChar > start)) return new vscode.Range(line, start, endLine, endChar);
  }
  const token = /^[^\s,:\]}]+/.exec(text.slice(start));
  const end = token ? start + token[0].length : text.trimEnd().length;
  return new vscode.Range(line, start, line, Math.max(end, start));
}

export function toDiagnostic(problem: Problem, lines: readonly string[]): vscode.Diagnostic {
  const message = problem.hint ? `${problem.message}\nhint: ${problem.hint}` : problem.message;
  const d = new vscode.Diagnostic(problemRange(problem, lines), message, SEVERITY[problem.severity] ?? vscode.DiagnosticSeverity.Error);
  d.source = 'mlops';
  return d;
}

export function toDiagnostics(problems: readonly Problem[], text: string): vscode.Diagnostic[] {
  const lines = text.split(/\r?\n/);
  return problems.map((p) => toDiagnostic(p, lines));
}

/** A quick fix: replace `range` (the misspelt name) with `replacement`; `diagnostic` is the problem's range. */
export interface SuggestedEdit {
  diagnostic: vscode.Range;
  range: vscode.Range;
  replacement: string;
}

/** How far below the problem's line the misspelt name may be (a flow list's item on the next line). */
const SEARCH_LINES = 3;

/**
 * Where the misspelt name of a problem's suggestion is: the first whole-word occurrence from the
 * problem's start (a location may point at the list or the expression that holds the name).
 * Undefined when the text is not there, so a fix never edits the wrong word.
 */
export function suggestedEdit(problem: Problem, lines: readonly string[]): SuggestedEdit | undefined {
  const s = problem.suggestion;
  if (!s || !s.text) return undefined;
  const diagnostic = problemRange(problem, lines);
  const escaped = s.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const word = new RegExp(`(?<![\\w.-])${escaped}(?![\\w-])`, 'g');
  for (let line = diagnostic.start.line; line < Math.min(lines.length, diagnostic.start.line + SEARCH_LINES + 1); line++) {
    word.lastIndex = line === diagnostic.start.line ? diagnostic.start.character : 0;
    const m = word.exec(lines[line]);
    if (m) return { diagnostic, range: new vscode.Range(line, m.index, line, m.index + s.text.length), replacement: s.replacement };
  }
  return undefined;
}
