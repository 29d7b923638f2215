import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ColumnType } from '../../../src/core/data/cells';
import { checkExpression, expressionProblems, parseExpression } from '../../../src/core/expr';
import { isUserError } from '../../../src/core/util/problems';

const columns = new Map<string, ColumnType>([
  ['tips', 'float'],
  ['fare', 'float'],
]);
const at = { file: '/p/taxi.pipeline.yaml', line: 12, column: 22 };

describe('expressionProblems', () => {
  it('is empty for a good expression', () => {
    assert.deepEqual(expressionProblems('tips > 0.2 * fare', columns, at), []);
  });

  it('points at the exact character in the pipeline file', () => {
    const [problem] = expressionProblems('tips > (0.2 * fare', columns, at);
    assert.equal(problem.message, "expected ')' at column 19, found the end of the expression");
    assert.deepEqual(problem.location, { file: at.file, line: 12, column: 40, endLine: 12, endColumn: 41 });
    assert.equal(problem.severity, 'error');
  });

  it('underlines the whole unknown name', () => {
    const [problem] = expressionProblems('tips > 0.2 * fair', columns, at);
    assert.equal(problem.message, "unknown column 'fair' at column 14");
    assert.deepEqual(problem.location, { file: at.file, line: 12, column: 35, endLine: 12, endColumn: 39 });
    assert.match(problem.hint!, /did you mean 'fare'\?/);
  });

  it('follows line breaks inside the expression', () => {
    const [problem] = expressionProblems('tips >\n  0.2 * far', columns, at);
    assert.deepEqual(problem.location, { file: at.file, line: 13, column: 9, endLine: 13, endColumn: 12 });
  });

  it('gives the same shifted location in the UserErrors of parse and check', () => {
    try {
      checkExpression(parseExpression("'x' * fare", at), columns, at);
      assert.fail('expected a type error');
    } catch (e) {
      assert.ok(isUserError(e));
      assert.equal(e.message, "/p/taxi.pipeline.yaml:12:22: error: '*' needs a number on its left at column 1, found a string");
      assert.deepEqual(e.problems[0].location, { file: at.file, line: 12, column: 22, endLine: 12, endColumn: 25 });
    }
  });
});
