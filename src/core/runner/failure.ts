import { fileSystemProblem } from '../util/fileErrors';
import { UserError } from '../util/problems';
import { GateFailure } from './gate';

/** A failure as users read it: their mistakes as written, our bugs flagged as internal. */
export function describeFailure(e: unknown): string {
  if (e instanceof UserError || e instanceof GateFailure) return e.message;
  const fileProblem = fileSystemProblem(e);
  if (fileProblem) return fileProblem.message;
  return `internal error: ${(e as Error)?.message ?? String(e)}`;
}
