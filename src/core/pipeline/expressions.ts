import { parseExpression } from '../expr';
import { isUserError, type Problem, type SourceLocation } from '../util/problems';

/**
 * Syntax problems of a derived column's expression, at the exact character in the pipeline file.
 * Column names are checked at ingest, once the data's header is known.
 */
export function derivedExpressionProblems(text: string, at: SourceLocation): Problem[] {
  try {
    parseExpression(text, at);
    return [];
  } catch (e) {
    if (isUserError(e)) return e.problems;
    throw e;
  }
}
