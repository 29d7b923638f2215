import type { ColumnType, Value } from '../data/cells';

/** The type of an expression: a column type, or null for expressions that can only be null. */
export type ExprType = ColumnType | 'null';

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%';
export type ComparisonOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type BinaryOp = ArithmeticOp | ComparisonOp | 'and' | 'or';

/** Every node knows its 0-based span [start, end) in the expression text, for error positions. */
export type Expr = (
  | { kind: 'literal'; value: Value; type: ExprType }
  | { kind: 'column'; name: string }
  | { kind: 'unary'; op: '-' | 'not'; operand: Expr }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr }
  | { kind: 'call'; name: string; args: Expr[] }
) & { start: number; end: number };

/** A parsed expression with its text, so that errors found later still point into the text. */
export interface ParsedExpression {
  text: string;
  root: Expr;
}

export const COMPARISONS: ReadonlySet<string> = new Set<ComparisonOp>(['==', '!=', '<', '<=', '>', '>=']);
