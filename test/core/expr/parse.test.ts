import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Expr } from '../../../src/core/expr';
import { parseExpression, referencedColumns } from '../../../src/core/expr';
import { isUserError } from '../../../src/core/util/problems';

/** The AST as a compact s-expression, to compare shapes without offsets. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'literal':
      return typeof e.value === 'string' ? JSON.stringify(e.value) : `${e.value}:${e.type}`;
    case 'column':
      return e.name;
    case 'unary':
      return `(${e.op} ${show(e.operand)})`;
    case 'binary':
      return `(${e.op} ${show(e.left)} ${show(e.right)})`;
    case 'call':
      return `${e.name}(${e.args.map(show).join(', ')})`;
  }
}

const tree = (text: string) => show(parseExpression(text).root);

function parseError(text: string): string {
  try {
    parseExpression(text);
  } catch (e) {
    assert.ok(isUserError(e));
    return e.message;
  }
  assert.fail(`expected '${text}' not to parse`);
}

describe('parseExpression', () => {
  it('parses literals, names and backquoted names', () => {
    assert.equal(tree('42'), '42:int');
    assert.equal(tree('4.5e1'), '45:float');
    assert.equal(tree('.5'), '0.5:float');
    assert.equal(tree("'it\\'s'"), '"it\'s"');
    assert.equal(tree('"a\\nb"'), '"a\\nb"');
    assert.equal(tree('TRUE'), 'true:bool');
    assert.equal(tree('null'), 'null:null');
    assert.equal(tree('fare'), 'fare');
    assert.equal(tree('`trip miles (km)`'), 'trip miles (km)');
    assert.equal(tree('`a``b`'), 'a`b');
    assert.equal(tree('größe'), 'größe');
  });

  it('follows the usual precedence and associativity', () => {
    assert.equal(tree('tips > 0.2 * fare'), '(> tips (* 0.2:float fare))');
    assert.equal(tree('a - b - c'), '(- (- a b) c)');
    assert.equal(tree('a + b * c % d'), '(+ a (% (* b c) d))');
    assert.equal(tree('-a * b'), '(* (- a) b)');
    assert.equal(tree('(a + b) * c'), '(* (+ a b) c)');
    assert.equal(tree('a or b and c'), '(or a (and b c))');
    assert.equal(tree('a || b && !c'), '(or a (and b (not c)))');
    assert.equal(tree('not a == b and c'), '(and (not (== a b)) c)');
    assert.equal(tree('x >= 1 AND x <= 2'), '(and (>= x 1:int) (<= x 2:int))');
  });

  it('parses function calls with any number of arguments', () => {
    assert.equal(tree('if(a > 1, "big", "small")'), 'if((> a 1:int), "big", "small")');
    assert.equal(tree('coalesce(a, b, 0)'), 'coalesce(a, b, 0:int)');
    assert.equal(tree('f()'), 'f()');
    assert.equal(tree('round(abs(-x), 2)'), 'round(abs((- x)), 2:int)');
  });

  it('keeps 0-based offsets on every node', () => {
    const { root } = parseExpression('a + (b * c)');
    assert.deepEqual([root.start, root.end], [0, 11]);
    assert.ok(root.kind === 'binary');
    assert.deepEqual([root.right.start, root.right.end], [4, 11]);
  });

  it('says what was expected and where', () => {
    assert.equal(parseError('tips > (0.2 * fare'), "error: expected ')' at column 19, found the end of the expression");
    assert.equal(parseError('round(x, 2'), "error: expected ')' or ',' at column 11, found the end of the expression");
    assert.equal(parseError('tips > 0.2 fare'), "error: expected an operator or the end of the expression at column 12, found 'fare'");
    assert.equal(parseError('a * * b'), "error: expected a value, a column or '(' at column 5, found '*'");
    assert.equal(parseError(''), "error: expected a value, a column or '(' at column 1, found the end of the expression");
    assert.equal(parseError('a = 1'), "error: unexpected '=' at column 3\n  hint: use '==' to compare");
    assert.equal(parseError('a # b'), "error: unexpected character '#' at column 3");
    assert.equal(parseError("name == 'x"), "error: unterminated string: expected a closing ' at column 9");
    assert.equal(parseError('`odd name'), 'error: unterminated column name: expected a closing ` at column 1');
    assert.equal(parseError('2x'), "error: unexpected 'x' right after the number 2 at column 2");
    assert.match(parseError('1 < x < 3'), /^error: comparisons cannot be chained: '<' at column 7\n  hint: combine them with 'and'/);
    assert.match(parseError('a and or b'), /^error: expected a value at column 7, found the keyword 'or'/);
  });
});

describe('parseExpression limits: a formula, not a program', () => {
  it('accepts 199 levels of parentheses and a 150-term sum, and checks and evaluates them', () => {
    const nested = parseExpression(`${'('.repeat(198)}a${')'.repeat(198)}`);
    assert.equal(nested.root.kind, 'column');
    const sum = parseExpression(Array(150).fill('a').join(' + '));
    assert.equal(referencedColumns(sum).join(), 'a');
    const wide = parseExpression(`f(${Array(300).fill('a').join(', ')})`);
    assert.equal(wide.root.kind === 'call' && wide.root.args.length, 300, 'a wide call is not deep');
  });

  it('refuses deeper nesting, deep trees from long flat chains and overlong texts, without overflowing the stack', () => {
    assert.match(parseError(`${'('.repeat(5000)}a${')'.repeat(5000)}`), /the expression is 10,001 characters long; at most 10,000 are allowed/);
    assert.match(parseError(`${'('.repeat(250)}a${')'.repeat(250)}`), /the expression nests more than 200 levels deep at column 20\d/);
    assert.match(parseError(`${'- '.repeat(300)}a`), /nests more than 200 levels deep/);
    assert.match(parseError(Array(1000).fill('a').join('+')), /nests more than 200 levels deep/);
  });
});
