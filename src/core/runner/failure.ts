import { UserError } from '../util/problems';

/** A failure as users read it: their mistakes as written, our bugs flagged as internal. */
export function describeFailure(e: unknown): string {
  if (e instanceof UserError) return e.message;
  return `internal error: ${(e as Error)?.message ?? String(e)}`;
}
