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
