import type { Value } from '../data/cells';
import type { BinaryOp, Expr } from './ast';
import { FUNCTIONS } from './functions';

export type Row = readonly Value[];
export type Evaluator = (row: Row) => Value;

/**
 * Turns a type-checked AST into nested closures: no eval, no Function, and no per-row dispatch
 * on node kinds. Null propagates through arithmetic, comparisons and plain functions; `and`/`or`
 * are three-valued as in SQL; division by zero gives null.
 */
export function compile(expr: Expr, columnIndex: ReadonlyMap<string, number>): Evaluator {
  switch (expr.kind) {
    case 'literal': {
      const value = expr.value;
      return () => value;
    }
    case 'column': {
      const index = columnIndex.get(expr.name);
      if (index === undefined) throw new Error(`compile: column '${expr.name}' has no index; type-check the expression first`);
      return (row) => row[index];
    }
    case 'unary': {
      const operand = compile(expr.operand, columnIndex);
      if (expr.op === '-') return (row) => negate(operand(row));
      return (row) => {
        const v = operand(row);
        return v === null ? null : !v;
      };
    }
    case 'binary':
      return binary(expr.op, compile(expr.left, columnIndex), compile(expr.right, columnIndex));
    case 'call':
      return call(
        expr.name.toLowerCase(),
        expr.args.map((a) => compile(a, columnIndex)),
      );
  }
}

function negate(v: Value): Value {
  return v === null ? null : -(v as number);
}

function binary(op: BinaryOp, left: Evaluator, right: Evaluator): Evaluator {
  switch (op) {
    case 'and':
      return (row) => {
        const l = left(row);
        if (l === false) return false;
        const r = right(row);
        if (r === false) return false;
        return l === null || r === null ? null : true;
      };
    case 'or':
      return (row) => {
        const l = left(row);
        if (l === true) return true;
        const r = right(row);
        if (r === true) return true;
        return l === null || r === null ? null : false;
      };
    default: {
      const f = OPERATIONS[op];
      return (row) => {
        const l = left(row);
        if (l === null) return null;
        const r = right(row);
        return r === null ? null : f(l as never, r as never);
      };
    }
  }
}

/** Operands are non-null and of the types the checker allowed (numbers, or two comparable values). */
const OPERATIONS: Record<Exclude<BinaryOp, 'and' | 'or'>, (l: number, r: number) => Value> = {
  '+': (l, r) => l + r,
  '-': (l, r) => l - r,
  '*': (l, r) => l * r,
  '/': (l, r) => (r === 0 ? null : l / r),
  '%': (l, r) => (r === 0 ? null : l % r),
  '==': (l, r) => l === r,
  '!=': (l, r) => l !== r,
  '<': (l, r) => l < r,
  '<=': (l, r) => l <= r,
  '>': (l, r) => l > r,
  '>=': (l, r) => l >= r,
};

function call(name: string, args: Evaluator[]): Evaluator {
  const spec = FUNCTIONS.get(name);
  if (!spec) throw new Error(`compile: unknown function '${name}'; type-check the expression first`);
  switch (spec.special) {
    case 'if': {
      const [condition, then, otherwise] = args;
      return (row) => (condition(row) === true ? then(row) : otherwise(row));
    }
    case 'is_null': {
      const [arg] = args;
      return (row) => arg(row) === null;
    }
    case 'coalesce':
      return (row) => {
        for (const arg of args) {
          const v = arg(row);
          if (v !== null) return v;
        }
        return null;
      };
    case undefined:
      break;
  }
  const apply = spec.apply!;
  return (row) => {
    const values = new Array<Value>(args.length);
    for (let i = 0; i < args.length; i++) {
      const v = args[i](row);
      if (v === null) return null;
      values[i] = v;
    }
    return apply(values);
  };
}
