import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ColumnType, Value } from '../../../src/core/data/cells';
import { checkExpression, compileExpression, parseExpression } from '../../../src/core/expr';

const names = ['x', 'y', 's', 'b', 'n'];
const types = new Map<string, ColumnType>([
  ['x', 'float'],
  ['y', 'int'],
  ['s', 'string'],
  ['b', 'bool'],
  ['n', 'float'],
]);
const index = new Map(names.map((name, i) => [name, i]));
/** A row where n is missing. */
const row: Value[] = [2.5, 4, 'Credit Card', true, null];

function evaluate(text: string, values: Value[] = row): Value {
  const parsed = parseExpression(text);
  checkExpression(parsed, types);
  return compileExpression(parsed, index)(values);
}

describe('compileExpression', () => {
  it('computes arithmetic and comparisons', () => {
    assert.equal(evaluate('x * 2 + y'), 9);
    assert.equal(evaluate('y / 8'), 0.5);
    assert.equal(evaluate('-y % 3'), -1);
    assert.equal(evaluate('(y - 1) * (y + 1)'), 15);
    assert.equal(evaluate('x < y'), true);
    assert.equal(evaluate('y == 4.0'), true);
    assert.equal(evaluate("s != 'Cash'"), true);
    assert.equal(evaluate("s < 'D'"), true);
    assert.equal(evaluate('b == true'), true);
  });

  it('gives null for null operands and division by zero', () => {
    assert.equal(evaluate('n + 1'), null);
    assert.equal(evaluate('-n'), null);
    assert.equal(evaluate('n > 1'), null);
    assert.equal(evaluate('n == n'), null);
    assert.equal(evaluate('x / 0'), null);
    assert.equal(evaluate('y % 0'), null);
    assert.equal(evaluate('not (n > 1)'), null);
    assert.equal(evaluate('abs(n)'), null);
    assert.equal(evaluate('max(x, n)'), null);
  });

  it('uses three-valued and/or, as SQL does', () => {
    assert.equal(evaluate('n > 1 and false'), false);
    assert.equal(evaluate('false and n > 1'), false);
    assert.equal(evaluate('n > 1 and true'), null);
    assert.equal(evaluate('n > 1 or true'), true);
    assert.equal(evaluate('true or n > 1'), true);
    assert.equal(evaluate('n > 1 or false'), null);
    assert.equal(evaluate('b && !false'), true);
  });

  it('evaluates if, is_null and coalesce without propagating null', () => {
    assert.equal(evaluate("if(n > 1, 'a', 'b')"), 'b');
    assert.equal(evaluate("if(b, 'a', 'b')"), 'a');
    assert.equal(evaluate('is_null(n)'), true);
    assert.equal(evaluate('is_null(x)'), false);
    assert.equal(evaluate('coalesce(n, null, y)'), 4);
    assert.equal(evaluate('coalesce(n)'), null);
  });

  it('evaluates the numeric functions, with domain errors as null', () => {
    assert.equal(evaluate('abs(-x)'), 2.5);
    assert.equal(evaluate('sqrt(y)'), 2);
    assert.equal(evaluate('sqrt(-y)'), null);
    assert.equal(evaluate('log(exp(y))'), 4);
    assert.equal(evaluate('log(0)'), null);
    assert.equal(evaluate('floor(x)'), 2);
    assert.equal(evaluate('ceil(x)'), 3);
    assert.equal(evaluate('round(x)'), 3);
    assert.equal(evaluate('round(-x)'), -3);
    assert.equal(evaluate('round(3.14159, 2)'), 3.14);
    assert.equal(evaluate('round(1234, -2)'), 1200);
    assert.equal(evaluate('min(x, y, 1)'), 1);
    assert.equal(evaluate('max(x, y)'), 4);
  });

  it('evaluates the string functions', () => {
    assert.equal(evaluate('lower(s)'), 'credit card');
    assert.equal(evaluate('upper(s)'), 'CREDIT CARD');
    assert.equal(evaluate('length(s)'), 11);
    assert.equal(evaluate("length('日本😀')"), 3);
    assert.equal(evaluate("contains(lower(s), 'card')"), true);
    assert.equal(evaluate("contains(s, 'cash')"), false);
  });

  it('reads a derived column computed earlier in the same row', () => {
    const withDerived = new Map<string, ColumnType>([...types, ['double', 'float']]);
    const parsed = parseExpression('double + 1');
    assert.equal(checkExpression(parsed, withDerived), 'float');
    const evaluator = compileExpression(parsed, new Map([...index, ['double', 5]]));
    assert.equal(evaluator([...row, 5]), 6);
  });
});
