import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ColumnType } from '../../../src/core/data/cells';
import { checkExpression, parseExpression } from '../../../src/core/expr';
import { isUserError } from '../../../src/core/util/problems';

const columns = new Map<string, ColumnType>([
  ['fare', 'float'],
  ['tips', 'float'],
  ['hour', 'int'],
  ['payment', 'string'],
  ['vip', 'bool'],
]);

const typeOf = (text: string) => checkExpression(parseExpression(text), columns);

function typeError(text: string): string {
  try {
    typeOf(text);
  } catch (e) {
    assert.ok(isUserError(e));
    return e.message;
  }
  assert.fail(`expected '${text}' to be rejected`);
}

describe('checkExpression', () => {
  it('types arithmetic: int stays int, / and floats give float', () => {
    assert.equal(typeOf('hour + 1'), 'int');
    assert.equal(typeOf('hour % 7'), 'int');
    assert.equal(typeOf('hour / 2'), 'float');
    assert.equal(typeOf('fare * 2'), 'float');
    assert.equal(typeOf('-hour'), 'int');
    assert.equal(typeOf('hour + null'), 'null');
  });

  it('types comparisons, logic and functions', () => {
    assert.equal(typeOf('tips > 0.2 * fare'), 'bool');
    assert.equal(typeOf("payment == 'Cash' or vip"), 'bool');
    assert.equal(typeOf("payment < 'M'"), 'bool');
    assert.equal(typeOf('if(vip, hour, fare)'), 'float');
    assert.equal(typeOf('if(vip, payment, null)'), 'string');
    assert.equal(typeOf('coalesce(tips, 0)'), 'float');
    assert.equal(typeOf('round(fare)'), 'int');
    assert.equal(typeOf('round(fare, 1)'), 'float');
    assert.equal(typeOf('floor(fare) + ceil(tips)'), 'int');
    assert.equal(typeOf('abs(hour)'), 'int');
    assert.equal(typeOf('sqrt(hour)'), 'float');
    assert.equal(typeOf('max(hour, 3)'), 'int');
    assert.equal(typeOf('min(hour, fare, 1)'), 'float');
    assert.equal(typeOf('length(lower(payment))'), 'int');
    assert.equal(typeOf("contains(upper(payment), 'CARD')"), 'bool');
    assert.equal(typeOf('is_null(tips)'), 'bool');
    assert.equal(typeOf('IF(vip, 1, 0)'), 'int');
  });

  it('rejects type errors at the offending operand', () => {
    assert.equal(typeError("'a' * 2"), "error: '*' needs a number on its left at column 1, found a string");
    assert.equal(typeError('fare + vip'), "error: '+' needs a number on its right at column 8, found a bool");
    assert.equal(typeError("hour == 'x'"), "error: cannot compare an int with a string using '==' at column 9");
    assert.equal(typeError('vip < true'), "error: '<' cannot order bools; use == or != at column 1");
    assert.equal(typeError('hour and vip'), "error: 'and' needs a bool on its left at column 1, found an int");
    assert.equal(typeError('not payment'), "error: 'not' needs a bool at column 5, found a string");
    assert.equal(typeError('if(hour, 1, 2)'), 'error: argument 1 of if must be a bool at column 4, found an int');
    assert.equal(typeError("if(vip, 1, 'x')"), 'error: if cannot give an int for some rows and a string for others at column 12');
    assert.equal(typeError('lower(fare)'), 'error: argument 1 of lower must be a string at column 7, found a float');
    assert.equal(typeError('round(fare, 1.5)'), 'error: argument 2 of round must be an int at column 13, found a float');
    assert.match(typeError('tips == null'), /^error: comparing with null gives null for every row at column 9\n  hint: use is_null\(x\)/);
  });

  it('rejects unknown columns and functions, and wrong argument counts', () => {
    assert.equal(typeError('tip > 1'), "error: unknown column 'tip' at column 1\n  hint: did you mean 'tips'? columns: fare, tips, hour, payment, vip");
    assert.match(typeError('sqr(fare)'), /^error: unknown function 'sqr' at column 1\n  hint: did you mean 'sqrt'\? functions: if, is_null, coalesce/);
    assert.equal(typeError('abs(fare, 2)'), 'error: abs takes 1 argument at column 1, found 2');
    assert.equal(typeError('round()'), 'error: round takes 1 to 2 arguments at column 1, found 0');
    assert.equal(typeError('coalesce()'), 'error: coalesce takes at least 1 argument at column 1, found 0');
    assert.equal(typeError('contains(payment)'), 'error: contains takes 2 arguments at column 1, found 1');
  });
});
