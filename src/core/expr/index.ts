import type { ColumnType } from '../data/cells';
import { UserError, type Problem, type SourceLocation } from '../util/problems';
import type { Expr, ExprType, ParsedExpression } from './ast';
import { typeOf } from './check';
import { compile, type Evaluator } from './compile';
import { expressionProblem, ExpressionError } from './errors';

import { parse } from './parser';

export type { Expr, ExprType, ParsedExpression } from './ast';
export type { Evaluator, Row } from './compile';

/**
 * The expression language of `features.derive`. Each step throws a UserError whose message names
 * the column inside the expression; give `at` (where the expression's first character sits in the
 * pipeline file) and the error's location points at the exact character there.
 */
export function parseExpression(text: string, at?: SourceLocation): ParsedExpression {
  return userErrors(text, at, () => ({ text, root: parse(text) }));
}

export function checkExpression(expression: ParsedExpression, columns: ReadonlyMap<string, ColumnType>, at?: SourceLocation): ExprType {
  return userErrors(expression.text, at, () => typeOf(expression.root, columns));
}

/** The columns an expression reads, each once, in order of first appearance. */
export function referencedColumns(expression: ParsedExpression): string[] {
  const names = new Set<string>();
  const visit = (e: Expr) => {
    if (e.kind === 'column') names.add(e.name);
    else if (e.kind === 'unary') visit(e.operand);
    else if (e.kind === 'binary') (visit(e.left), visit(e.right));
    else if (e.kind === 'call') e.args.forEach(visit);
  };
  visit(expression.root);
  return [...names];
}

/** `columnIndex` maps each column the expression may name to its position in the rows it will get. */
export function compileExpression(expression: ParsedExpression, columnIndex: ReadonlyMap<string, number>): Evaluator {
  return compile(expression.root, columnIndex);
}

/** Parse and type problems for editor diagnostics; empty when the expression is fine. */
export function expressionProblems(text: string, columns: ReadonlyMap<string, ColumnType>, location: SourceLocation): Problem[] {
  try {
    typeOf(parse(text), columns);
    return [];
  } catch (e) {
    if (e instanceof ExpressionError) return [expressionProblem(e, text, location)];
    throw e;
  }
}

function userErrors<T>(text: string, at: SourceLocation | undefined, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof ExpressionError) throw new UserError(expressionProblem(e, text, at));
    throw e;
  }
}
