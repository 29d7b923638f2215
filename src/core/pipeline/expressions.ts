import { ExpressionError, expressionProblem } from '../expr/errors';
import { parse } from '../expr/parser';
import type { Problem, SourceLocation } from '../util/problems';

/**
 * Syntax problems of a derived column's expression, at the exact character in the pipeline file.
 * Column names are checked at ingest, once the data's header is known.
 */
export function derivedExpressionProblems(text: string, at: SourceLocation): Problem[] {
  try {
    parse(text);
    return [];
  } catch (e) {
    if (e instanceof ExpressionError) return [expressionProblem(e, text, at)];
    throw e;
  }
}
