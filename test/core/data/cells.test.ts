import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cellConverter, cellType, missingTest, parseBool, parseNumber, widen } from '../../../src/core/data/cells';

describe('cellType', () => {
  it('tells ints, floats, bools and strings apart', () => {
    for (const t of ['0', '42', '-7', '+3', '007', '17031839100']) assert.equal(cellType(t), 'int', t);
    for (const t of ['1.5', '-0.25', '.5', '1.', '1e5', '2.5E-3', 'inf', '-Infinity', 'NaN', '+nan']) assert.equal(cellType(t), 'float', t);
    for (const t of ['true', 'FALSE', 'True']) assert.equal(cellType(t), 'bool', t);
    for (const t of ['abc', '1a', '-', '.', '1e', '0x10', '1_000', '1.2.3', ' 1', 'yes', '-true', 'infinite', '12:30']) {
      assert.equal(cellType(t), 'string', t);
    }
  });
});

describe('widen', () => {
  it('widens int to float and any other mix to string', () => {
    assert.equal(widen(undefined, 'int'), 'int');
    assert.equal(widen('int', 'int'), 'int');
    assert.equal(widen('int', 'float'), 'float');
    assert.equal(widen('float', 'int'), 'float');
    assert.equal(widen('bool', 'int'), 'string');
    assert.equal(widen('float', 'string'), 'string');
    assert.equal(widen('string', 'int'), 'string');
  });
});

describe('parseNumber', () => {
  it('agrees with Number() exactly, including the fast path', () => {
    for (const t of ['0', '-0', '12.85', '41.920451512', '-87.679954768', '0.1', '123456789012345', '1234567890123456789', '1e-7', '.5', '1.']) {
      assert.ok(Object.is(parseNumber(t), Number(t)), t);
    }
    let seed = 1;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < 20000; i++) {
      const text = (random() * 10 ** Math.floor(random() * 12)).toFixed(Math.floor(random() * 10));
      assert.ok(Object.is(parseNumber(text), Number(text)), text);
    }
  });

  it('reads the inf and nan spellings other tools write', () => {
    assert.equal(parseNumber('inf'), Infinity);
    assert.equal(parseNumber('-Infinity'), -Infinity);
    assert.ok(Number.isNaN(parseNumber('nan')));
  });
});

describe('parseBool and missing cells', () => {
  it('parses true/false in any case', () => {
    assert.equal(parseBool('TRUE'), true);
    assert.equal(parseBool('false'), false);
    assert.equal(parseBool('yes'), null);
  });

  it('treats the empty cell and the markers as missing', () => {
    const none = missingTest([]);
    assert.equal(none(''), true);
    assert.equal(none('NA'), false);
    const one = missingTest(['?']);
    assert.equal(one('?'), true);
    assert.equal(one('??'), false);
    const many = missingTest(['NA', '?', 'null']);
    assert.deepEqual(['', 'NA', '?', 'null', 'nul', 'NULL'].map(many), [true, true, true, true, false, false]);
  });

  it('converts cells by column type', () => {
    const isMissing = missingTest(['?']);
    assert.equal(cellConverter('int', isMissing)('42'), 42);
    assert.equal(cellConverter('float', isMissing)('?'), null);
    assert.equal(cellConverter('bool', isMissing)('True'), true);
    assert.equal(cellConverter('string', isMissing)(''), null);
    assert.equal(cellConverter('string', isMissing)('x'), 'x');
  });
});
