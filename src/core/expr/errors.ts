import type { Problem, SourceLocation } from '../util/problems';

/** A problem at 0-based offsets [start, end) of an expression's text. */
export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
    readonly hint?: string,
    /** Said after the position: `expected ')' at column 12, found the end of the expression`. */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }
}

/**
 * The problem as users see it: the message names the 1-based column inside the expression, and
 * the location (when the caller knows where the expression starts in a file) points at the exact
 * character, so the editor underlines the culprit and not the whole value.
 */
export function expressionProblem(error: ExpressionError, text: string, at?: SourceLocation): Problem {
  const detail = error.detail ? `, ${error.detail}` : '';
  const problem: Problem = { message: `${error.message} at column ${error.start + 1}${detail}`, severity: 'error' };
  if (error.hint) problem.hint = error.hint;
  if (at) {
    const start = shift(at, text, error.start);
    const end = shift(at, text, Math.max(error.end, error.start + 1));
    problem.location = { ...at, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  }
  return problem;
}

/**
 * Position of `offset` given where the text starts. Lines after the first start at column 1;
 * a multi-line YAML block scalar loses its indentation, which the caller's location cannot tell us.
 */
function shift(at: SourceLocation, text: string, offset: number): { line?: number; column?: number } {
  const before = text.slice(0, offset);
  const newline = before.lastIndexOf('\n');
  if (newline < 0) return { line: at.line, column: at.column === undefined ? undefined : at.column + offset };
  const lines = before.split('\n').length - 1;
  return { line: at.line === undefined ? undefined : at.line + lines, column: offset - newline };
}
