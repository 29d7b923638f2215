import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ColumnType, Value } from '../../../src/core/data/cells';
import type { TaskType } from '../../../src/core/pipeline/config';
import { fitTransform } from '../../../src/core/transform/fit';
import { encodeLabel } from '../../../src/core/transform/label';
import { transformRows } from '../../../src/core/transform/row';
import type { LabelEncoding } from '../../../src/core/transform/types';
import { examplesOf, settings } from './helpers';

async function labelOf(type: ColumnType, values: Value[], task?: TaskType): Promise<LabelEncoding | undefined> {
  const examples = await examplesOf({ x: 'float', y: type }, { train: values.map((v, i) => [i, v]) });
  return (await fitTransform(examples, settings({ label: 'y', task }))).label;
}

describe('label encoding', () => {
  it('infers binary for a bool or exactly two values; the positive class is true, the larger number or the later string', async () => {
    assert.deepEqual(await labelOf('bool', [true, false, true]), { task: 'binary', column: 'y', negative: 'false', positive: 'true', type: 'bool' });
    assert.deepEqual(await labelOf('int', [1, 0, 0, 1]), { task: 'binary', column: 'y', negative: '0', positive: '1', type: 'int' });
    assert.deepEqual(await labelOf('int', [10, 9]), { task: 'binary', column: 'y', negative: '9', positive: '10', type: 'int' });
    assert.deepEqual(await labelOf('string', ['<=50K', '>50K', '<=50K']), { task: 'binary', column: 'y', negative: '<=50K', positive: '>50K', type: 'string' });
    assert.deepEqual(await labelOf('string', ['yes', 'no']), { task: 'binary', column: 'y', negative: 'no', positive: 'yes', type: 'string' });
  });

  it('infers multiclass for strings and for at most 20 distinct ints, classes sorted', async () => {
    assert.deepEqual(await labelOf('string', ['Gentoo', 'Adelie', 'Chinstrap', 'Adelie']), {
      task: 'multiclass',
      column: 'y',
      classes: ['Adelie', 'Chinstrap', 'Gentoo'],
      type: 'string',
    });
    assert.deepEqual(await labelOf('int', [10, 2, 1, 2]), { task: 'multiclass', column: 'y', classes: ['1', '2', '10'], type: 'int' });
    const twenty = Array.from({ length: 20 }, (_, i) => i);
    assert.equal((await labelOf('int', twenty))?.task, 'multiclass');
  });

  it('infers regression for floats and for ints with more than 20 values', async () => {
    assert.deepEqual(await labelOf('float', [0.5, 1.5, 2.25]), { task: 'regression', column: 'y', type: 'float' });
    assert.equal(
      (
        await labelOf(
          'int',
          Array.from({ length: 21 }, (_, i) => i),
        )
      )?.task,
      'regression',
    );
  });

  it('follows train.task when it is set', async () => {
    assert.deepEqual(await labelOf('int', [1, 2, 3], 'regression'), { task: 'regression', column: 'y', type: 'int' });
    assert.deepEqual(await labelOf('int', [0, 1], 'multiclass'), { task: 'multiclass', column: 'y', classes: ['0', '1'], type: 'int' });
    assert.deepEqual(
      await labelOf('int', [1, 1, 1], 'binary'),
      { task: 'binary', column: 'y', negative: '0', positive: '1', type: 'int' },
      'a 0/1 label seen with one value still has both classes',
    );
  });

  it('encodes values as 0/1, class indexes or numbers; missing or unknown values are NaN', () => {
    const binary: LabelEncoding = { task: 'binary', column: 'y', negative: '<=50K', positive: '>50K' };
    assert.deepEqual([encodeLabel(binary, '>50K'), encodeLabel(binary, '<=50K'), encodeLabel(binary, 'maybe'), encodeLabel(binary, null)], [1, 0, NaN, NaN]);
    const flag: LabelEncoding = { task: 'binary', column: 'y', negative: 'false', positive: 'true' };
    assert.deepEqual([encodeLabel(flag, true), encodeLabel(flag, false)], [1, 0]);
    const classes: LabelEncoding = { task: 'multiclass', column: 'y', classes: ['1', '2', '10'] };
    assert.deepEqual([encodeLabel(classes, 10), encodeLabel(classes, 1), encodeLabel(classes, 3)], [2, 0, NaN]);
    const regression: LabelEncoding = { task: 'regression', column: 'y' };
    assert.deepEqual([encodeLabel(regression, 2.5), encodeLabel(regression, true), encodeLabel(regression, null)], [2.5, 1, NaN]);
  });

  it('parses raw label values by the label column type in transformRows', async () => {
    const examples = await examplesOf(
      { x: 'float', y: 'float' },
      {
        train: [
          [1, 0.0],
          [2, 1.0],
          [3, 1.0],
        ],
      },
    );
    const fitted = await fitTransform(examples, settings({ label: 'y', missing: ['NA'] }));
    assert.deepEqual(fitted.label, { task: 'binary', column: 'y', negative: '0', positive: '1', type: 'float' });
    assert.deepEqual(Array.from(transformRows(fitted, [{ y: '1.0' }, { y: 0 }, { y: 'NA' }, {}]).label), [1, 0, NaN, NaN]);
  });
});
