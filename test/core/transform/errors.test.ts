import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { ColumnType, Value } from '../../../src/core/data/cells';
import type { FeatureTransformSpec, TaskType } from '../../../src/core/pipeline/config';
import { fitTransform } from '../../../src/core/transform/fit';
import { loadTransformGraph, writeTransformGraph } from '../../../src/core/transform/graph';
import { transformRows } from '../../../src/core/transform/row';
import { isUserError } from '../../../src/core/util/problems';
import { tempDir } from '../../helpers/tmp';
import { examplesOf, PIPELINE, settings } from './helpers';

const columns: Record<string, ColumnType> = { fare: 'float', trips: 'int', pay: 'string', tips: 'float', big_tipper: 'bool' };
const rows: Value[][] = [
  [10.5, 1, 'Cash', 1, false],
  [12, 2, 'Card', 3, true],
  [7.25, 1, 'Cash', 0, false],
  [30, 3, 'Card', 8, true],
];

/** Fits and expects a UserError whose text (as printed) matches every pattern. */
async function rejects(options: Parameters<typeof settings>[0], ...patterns: RegExp[]): Promise<void> {
  const examples = await examplesOf(columns, { train: rows });
  await assert.rejects(fitTransform(examples, settings(options)), (e: unknown) => {
    assert.ok(isUserError(e), `not a UserError: ${e}`);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}

const spec = (value: FeatureTransformSpec) => ({ features: [value] });

describe('transform errors name the pipeline file and line', () => {
  it('a transform of a column that does not exist, with a suggestion', async () => {
    await rejects(
      spec({ kind: 'numeric', column: 'fair', fill: 'mean', log: false, scale: 'zscore' }),
      new RegExp(`^${PIPELINE}:20:3: error: transform names 'fair', which is not a column of the data\\n  hint: did you mean 'fare'\\?`),
    );
    await rejects(spec({ kind: 'drop', column: 'zzzzzz' }), /transform names 'zzzzzz'/, /hint: columns: fare, trips, pay, tips, big_tipper/);
    await rejects(
      spec({ kind: 'cross', name: 'pay_x_trip', columns: ['pay', 'trip'], buckets: 10 }),
      /:20:3: error: cross 'pay_x_trip' names 'trip'/,
      /did you mean 'trips'/,
    );
  });

  it('a vocabulary or hash of a float column (an int column is fine)', async () => {
    await rejects(
      spec({ kind: 'vocabulary', column: 'fare', oovBuckets: 1 }),
      /:20:3: error: 'fare' is a float column: a vocabulary needs categorical values/,
      /hint: bucketize it/,
    );
    await rejects(spec({ kind: 'hash', column: 'fare', buckets: 10 }), /'fare' is a float column: hash needs categorical values/);
    await rejects(spec({ kind: 'cross', name: 'fx', columns: ['pay', 'fare'], buckets: 10 }), /cross 'fx' includes the float column 'fare'/);
    const examples = await examplesOf(columns, { train: rows });
    const fitted = await fitTransform(examples, settings(spec({ kind: 'vocabulary', column: 'trips', oovBuckets: 0 })));
    assert.equal(fitted.features.find((f) => f.kind === 'vocabulary' && f.column === 'trips')?.kind, 'vocabulary');
  });

  it('a numeric transform or bucketize of a string column', async () => {
    await rejects(
      spec({ kind: 'numeric', column: 'pay', fill: 'mean', log: false, scale: 'zscore' }),
      /:20:3: error: 'pay' is a string column: zscore needs numbers/,
      /hint: use vocabulary or hash/,
    );
    await rejects(spec({ kind: 'numeric', column: 'pay', fill: 'mean', log: true, scale: 'zscore' }), /'pay' is a string column: log needs numbers/);
    await rejects(spec({ kind: 'bucketize', column: 'pay', buckets: 4, fill: 'mean' }), /'pay' is a string column: bucketize needs numbers/);
  });

  it('the label or a column absent at serving used as an input', async () => {
    await rejects(
      { label: 'big_tipper', ...spec({ kind: 'vocabulary', column: 'big_tipper', oovBuckets: 0 }) },
      /'big_tipper' is the label: it cannot also be a model input/,
    );
    await rejects(
      { label: 'big_tipper', servingExclude: ['tips'], ...spec({ kind: 'numeric', column: 'tips', fill: 'mean', log: false, scale: 'zscore' }) },
      /:20:3: error: 'tips' is absent at serving \(environments.serving.exclude\): it cannot be a model input/,
      /hint: write 'tips: drop'/,
    );
    await rejects({ servingExclude: ['pay'], ...spec({ kind: 'cross', name: 'pt', columns: ['pay', 'trips'], buckets: 10 }) }, /'pay' is absent at serving/);
  });

  it('a cross named like a column', async () => {
    await rejects(spec({ kind: 'cross', name: 'trips', columns: ['pay', 'trips'], buckets: 10 }), /cross 'trips' has the name of a column of the data/);
  });

  it('a label that is not in the data', async () => {
    await rejects(
      { label: 'big_tiper' },
      new RegExp(`^${PIPELINE}:8:8: error: the label 'big_tiper' is not a column of the data\\n  hint: did you mean 'big_tipper'\\?`),
    );
  });

  it('a binary task on a label with more than two values', async () => {
    await rejects(
      { label: 'trips', task: 'binary' },
      new RegExp(`^${PIPELINE}:40:1: error: task is binary but the label 'trips' has 3 values in the training data: 1, 2, 3`),
    );
    await rejects({ label: 'pay', task: 'regression' as TaskType }, /regression needs a numeric label; 'pay' is a string column/);
  });

  it('an empty training split, or a label missing in every row', async () => {
    const empty = await examplesOf(columns, { train: [], eval: rows });
    await assert.rejects(fitTransform(empty, settings()), new RegExp(`${PIPELINE}:4:10: error: the training split is empty`));
    const unlabelled = await examplesOf(columns, { train: rows.map((r) => [...r.slice(0, 4), null]) });
    await assert.rejects(fitTransform(unlabelled, settings({ label: 'big_tipper' })), /:8:8: error: no training row has a value for the label 'big_tipper'/);
    const constant = await examplesOf(columns, { train: rows.map((r) => [...r.slice(0, 2), 'Cash', ...r.slice(3)]) });
    await assert.rejects(fitTransform(constant, settings({ label: 'pay' })), /the label 'pay' has one value \(Cash\) in the training data/);
  });

  it('a raw value the column type cannot hold', async () => {
    const examples = await examplesOf(columns, { train: rows });
    const fitted = await fitTransform(examples, settings({ label: 'big_tipper' }));
    assert.throws(
      () => transformRows(fitted, [{ fare: 'twelve' }]),
      (e: unknown) => isUserError(e) && /'fare' is a float column; "twelve" is not a number/.test(e.message),
    );
    assert.throws(() => transformRows(fitted, [{ big_tipper: 'maybe' }]), /'big_tipper' is a bool column; "maybe" is not true or false/);
  });

  it('a transform graph of another format or version', async () => {
    const dir = tempDir();
    await assert.rejects(loadTransformGraph(dir), /no transform graph here \(transform.json is missing\)/);
    const examples = await examplesOf(columns, { train: rows });
    const fitted = await fitTransform(examples, settings({ label: 'big_tipper' }));
    await writeTransformGraph(dir, fitted);
    assert.deepEqual(await loadTransformGraph(dir), JSON.parse(JSON.stringify(fitted)));
    const file = path.join(dir, 'transform.json');
    await fs.writeFile(file, JSON.stringify({ ...fitted, version: 2 }));
    await assert.rejects(
      loadTransformGraph(dir),
      (e: unknown) =>
        isUserError(e) && /transform.json, version: error: transform graph version 2 cannot be read by this version \(it reads version 1\)/.test(e.message),
    );
    await fs.writeFile(file, JSON.stringify({ format: 'mlops-model', version: 1 }));
    await assert.rejects(loadTransformGraph(dir), /not a transform graph: format is "mlops-model", expected "mlops-transform"/);
    await fs.writeFile(file, '{ "format": ');
    await assert.rejects(loadTransformGraph(dir), /the transform graph is not valid JSON/);
  });
});
