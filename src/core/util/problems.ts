/**
 * Errors a user can cause are values: a message, where it happened and a hint. They become exit
 * code 2 in the CLI, diagnostics in the editor and HTTP 400s in the server. Anything else thrown is
 * a bug and keeps its stack for the log.
 */
export interface SourceLocation {
  /** Absolute or workspace-relative path of the file the problem is in. */
  file: string;
  /** 1-based line and column in a text file (pipeline file, CSV line). */
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  /** 1-based data row of a CSV file (the header is row 0). */
  row?: number;
  /** A field or column name, or a path inside a document such as `train.epochs`. */
  field?: string;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Problem {
  message: string;
  severity: Severity;
  location?: SourceLocation;
  hint?: string;
  /** A misspelt name at the location and the name it most likely meant: the editor offers it as a quick fix. */
  suggestion?: { text: string; replacement: string };
}

export class UserError extends Error {
  readonly problems: Problem[];

  constructor(problems: Problem | Problem[]) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(list.map(formatProblem).join('\n'));
    this.name = 'UserError';
    this.problems = list;
  }

  static at(message: string, location?: SourceLocation, hint?: string): UserError {
    return new UserError({ message, severity: 'error', location, hint });
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}

export function formatLocation(loc: SourceLocation): string {
  let s = loc.file;
  if (loc.line !== undefined) s += `:${loc.line}` + (loc.column !== undefined ? `:${loc.column}` : '');
  if (loc.row !== undefined) s += `, row ${loc.row}`;
  if (loc.field !== undefined) s += `, ${loc.line === undefined && loc.row === undefined ? '' : 'field '}${loc.field}`;
  return s;
}

/** `file:line:col: error: message (hint)`: the shape editors and CI logs link to. */
export function formatProblem(p: Problem): string {
  const where = p.location ? `${formatLocation(p.location)}: ` : '';
  const hint = p.hint ? `\n  hint: ${p.hint}` : '';
  return `${where}${p.severity}: ${p.message}${hint}`;
}
