import type { ColumnType } from '../data/cells';
import { COMPARISONS, type Expr, type ExprType } from './ast';
import { closest } from '../util/closest';
import { ExpressionError } from './errors';
import { FUNCTIONS, type FunctionSpec, type Param } from './functions';

/** The type an expression yields over rows with these column types, or an ExpressionError at the culprit. */
export function typeOf(expr: Expr, columns: ReadonlyMap<string, ColumnType>): ExprType {
  switch (expr.kind) {
    case 'literal':
      return expr.type;
    case 'column': {
      const type = columns.get(expr.name);
      if (type === undefined) throw unknownName('column', expr.name, expr, [...columns.keys()]);
      return type;
    }
    case 'unary': {
      const type = typeOf(expr.operand, columns);
      if (expr.op === '-') return expect('number', type, expr.operand, "'-' needs a number");
      expect('bool', type, expr.operand, "'not' needs a bool");
      return 'bool';
    }
    case 'binary':
      return binaryType(expr, columns);
    case 'call':
      return callType(expr, columns);
  }
}

function binaryType(expr: Extract<Expr, { kind: 'binary' }>, columns: ReadonlyMap<string, ColumnType>): ExprType {
  const { op, left, right } = expr;
  const l = typeOf(left, columns);
  const r = typeOf(right, columns);
  if (op === 'and' || op === 'or') {
    expect('bool', l, left, `'${op}' needs a bool on its left`);
    expect('bool', r, right, `'${op}' needs a bool on its right`);
    return 'bool';
  }
  if (COMPARISONS.has(op)) {
    const literalNull = [left, right].find((e) => e.kind === 'literal' && e.type === 'null');
    if (literalNull) {
      throw new ExpressionError(`comparing with null gives null for every row`, literalNull.start, literalNull.end, 'use is_null(x) or not is_null(x)');
    }
    if (unify(l, r) === undefined) throw new ExpressionError(`cannot compare ${article(l)} with ${article(r)} using '${op}'`, right.start, right.end);
    if (l === 'bool' && op !== '==' && op !== '!=') throw new ExpressionError(`'${op}' cannot order bools; use == or !=`, left.start, right.end);
    return 'bool';
  }
  expect('number', l, left, `'${op}' needs a number on its left`);
  expect('number', r, right, `'${op}' needs a number on its right`);
  if (l === 'null' || r === 'null') return 'null';
  return op === '/' || l === 'float' || r === 'float' ? 'float' : 'int';
}

function callType(expr: Extract<Expr, { kind: 'call' }>, columns: ReadonlyMap<string, ColumnType>): ExprType {
  const spec = FUNCTIONS.get(expr.name.toLowerCase());
  const nameEnd = expr.start + expr.name.length;
  if (!spec) throw unknownName('function', expr.name, { start: expr.start, end: nameEnd }, [...FUNCTIONS.keys()]);
  const { min, max } = arity(spec);
  const n = expr.args.length;
  if (n < min || n > max) {
    throw new ExpressionError(`${expr.name} takes ${describeArity(min, max)}`, expr.start, expr.end, undefined, `found ${n}`);
  }
  const types = expr.args.map((arg, i) => {
    const param = spec.params[Math.min(i, spec.params.length - 1)];
    return expect(param, typeOf(arg, columns), arg, `argument ${i + 1} of ${expr.name} must be ${article(param)}`);
  });
  const result = spec.result;
  if (typeof result === 'function') return result(types);
  if (typeof result === 'string') return result;
  let type: ExprType = 'null';
  for (let i = result.unifyFrom; i < n; i++) {
    const joined = unify(type, types[i]);
    if (joined === undefined) {
      const arg = expr.args[i];
      throw new ExpressionError(`${expr.name} cannot give ${article(type)} for some rows and ${article(types[i])} for others`, arg.start, arg.end);
    }
    type = joined;
  }
  return type;
}

/** Common type of two branches or operands: null joins anything, int widens to float. */
function unify(a: ExprType, b: ExprType): ExprType | undefined {
  if (a === 'null' || a === b) return b;
  if (b === 'null') return a;
  if (isNumber(a) && isNumber(b)) return 'float';
  return undefined;
}

function isNumber(type: ExprType): boolean {
  return type === 'int' || type === 'float';
}

function expect(param: Param, type: ExprType, node: Expr, what: string): ExprType {
  const ok = type === 'null' || param === 'any' || param === type || (param === 'number' && isNumber(type));
  if (!ok) throw new ExpressionError(what, node.start, node.end, undefined, `found ${article(type)}`);
  return type;
}

function arity(spec: FunctionSpec): { min: number; max: number } {
  return { min: spec.min ?? spec.params.length, max: spec.variadic ? Infinity : spec.params.length };
}

function describeArity(min: number, max: number): string {
  const plural = (n: number) => (n === 1 ? 'argument' : 'arguments');
  if (max === Infinity) return `at least ${min} ${plural(min)}`;
  return min === max ? `${min} ${plural(min)}` : `${min} to ${max} arguments`;
}

function article(kind: Param | ExprType): string {
  switch (kind) {
    case 'int':
      return 'an int';
    case 'any':
      return 'any value';
    case 'null':
      return 'null';
    default:
      return `a ${kind}`;
  }
}

function unknownName(what: 'column' | 'function', name: string, at: { start: number; end: number }, known: string[]): ExpressionError {
  const guess = closest(name, known);
  const list = known.length <= 20 ? `${what === 'column' ? 'columns' : 'functions'}: ${known.join(', ')}` : undefined;
  const hint = [guess && `did you mean '${guess}'?`, list].filter(Boolean).join(' ') || undefined;
  return new ExpressionError(`unknown ${what} '${name}'`, at.start, at.end, hint);
}
