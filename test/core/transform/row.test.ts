import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { readCsv } from '../../../src/core/data/csv';
import { openExamples, type ExamplesReader } from '../../../src/core/data/examples';
import { ingest } from '../../../src/core/data/ingest';
import { openTransformedSplit } from '../../../src/core/transform/dataset';
import { fitTransform } from '../../../src/core/transform/fit';
import { encodeLabel } from '../../../src/core/transform/label';
import { materializeSplit } from '../../../src/core/transform/materialize';
import { requestColumns } from '../../../src/core/transform/derived';
import { ColumnCursor, transformRow, transformRows } from '../../../src/core/transform/row';
import type { FittedTransform, RawRow, TransformedBatch } from '../../../src/core/transform/types';
import { ingestOptions } from '../data/helpers';
import { SHARED_DATASETS, tempDir } from '../../helpers/tmp';
import { settings } from './helpers';

const TAXI = path.join(SHARED_DATASETS, 'taxi');

/** Every CSV record as a RawRow of text cells, as a serving request with string values looks. */
async function rawRows(file: string): Promise<RawRow[]> {
  const rows: RawRow[] = [];
  for await (const batch of readCsv(file, { trim: true })) {
    for (const record of batch.records) rows.push(Object.fromEntries(batch.columns.map((c, i) => [c, record.fields[i]])));
  }
  return rows;
}

/** The columnar path: a cursor over each row group, the same per-row function. */
async function columnar(examples: ExamplesReader, fitted: FittedTransform): Promise<TransformedBatch & { typedRows: RawRow[] }> {
  const rows = examples.meta.splits.find((s) => s.name === 'train')!.rows;
  const out = {
    size: rows,
    numeric: new Float32Array(rows * fitted.layout.numeric.length),
    categorical: new Int32Array(rows * fitted.layout.categorical.length),
    label: new Float32Array(rows),
    typedRows: [] as RawRow[],
  };
  let offset = 0;
  for await (const batch of examples.rowGroups('train')) {
    const cursor = new ColumnCursor(fitted, batch);
    const labels = batch.column(fitted.label!.column);
    for (let row = 0; row < batch.rows; row++, offset++) {
      cursor.row = row;
      transformRow(fitted, cursor.get, { numeric: out.numeric, categorical: out.categorical, offset });
      out.label[offset] = encodeLabel(fitted.label!, labels.get(row));
      out.typedRows.push(batch.row(row));
    }
  }
  return out;
}

describe('one row transform for training and serving (taxi)', () => {
  const work = tempDir('mlops-transform-taxi-');
  let examples: ExamplesReader;
  let fitted: FittedTransform;

  before(async () => {
    const dir = path.join(work, 'examples');
    // All rows in train, in file order, so row i of the examples is record i of the CSV.
    await ingest(
      {
        ...ingestOptions(
          path.join(TAXI, 'train.csv'),
          { eval: { split: { fraction: 0, seed: 7 } } },
          { derive: { big_tipper: 'tips > 0.2 * fare', fare_per_mile: 'if(trip_miles > 0, fare / trip_miles, null)' } },
        ),
        rowGroupRows: 1500,
      },
      dir,
    );
    examples = await openExamples(dir);
    fitted = await fitTransform(
      examples,
      settings({
        label: 'big_tipper',
        servingExclude: ['tips', 'big_tipper'],
        features: [
          { kind: 'numeric', column: 'fare', fill: 'median', log: true, scale: 'zscore' },
          { kind: 'numeric', column: 'trip_seconds', fill: 'zero', log: false, scale: 'minmax' },
          { kind: 'bucketize', column: 'trip_miles', buckets: 10, fill: 'mean' },
          { kind: 'vocabulary', column: 'payment_type', topK: 3, oovBuckets: 2 },
          { kind: 'hash', column: 'company', buckets: 20 },
          { kind: 'vocabulary', column: 'trip_start_hour', oovBuckets: 1 },
          { kind: 'cross', name: 'pay_x_day', columns: ['payment_type', 'trip_start_day'], buckets: 64 },
          { kind: 'drop', column: 'trip_start_timestamp' },
        ],
      }),
    );
  });

  it('fits the taxi data into the layout the pipeline asks for', () => {
    assert.equal(fitted.fittedOn.rows, 10_000);
    assert.ok(!fitted.inputs.some((i) => ['tips', 'big_tipper', 'trip_start_timestamp'].includes(i.name)));
    assert.deepEqual(
      fitted.layout.categorical.map((c) => c.name),
      ['trip_start_hour', 'trip_miles', 'pickup_census_tract', 'payment_type', 'company', 'pay_x_day'],
    );
    const miles = fitted.features.find((f) => f.kind === 'bucketize');
    assert.ok(miles?.kind === 'bucketize' && miles.boundaries.length >= 5 && miles.boundaries.length <= 9, 'trip_miles has ties: at most 9 boundaries');
    assert.equal(fitted.label?.task, 'binary');
  });

  it('gives identical outputs on the columnar path and on raw text rows', async () => {
    const fromColumns = await columnar(examples, fitted);
    const csvRows = await rawRows(path.join(TAXI, 'train.csv'));
    assert.equal(csvRows.length, fromColumns.size);
    const fromText = transformRows(fitted, csvRows);
    assert.deepEqual(fromText.numeric, fromColumns.numeric);
    assert.deepEqual(fromText.categorical, fromColumns.categorical);
    assert.deepEqual(fromText.label, fromColumns.label, 'the derived label is computed from the raw columns, as ingest did');
    const fromTyped = transformRows(fitted, fromColumns.typedRows);
    assert.deepEqual(fromTyped.numeric, fromColumns.numeric);
    assert.deepEqual(fromTyped.categorical, fromColumns.categorical);
    assert.deepEqual(fromTyped.label, fromColumns.label);
    assert.ok(!fromColumns.numeric.some(Number.isNaN), 'every numeric input is filled');
  });

  it('writes the same rows to disk for the trainer, minus rows without a label', async () => {
    const fromColumns = await columnar(examples, fitted);
    const out = tempDir();
    const written = await materializeSplit(examples, 'train', fitted, out);
    const labelled = [...fromColumns.label.keys()].filter((i) => !Number.isNaN(fromColumns.label[i]));
    assert.equal(written.rows, labelled.length);
    assert.equal(written.missingLabel, 10_000 - labelled.length);
    const split = await openTransformedSplit(out, 'train');
    const n = fitted.layout.numeric.length;
    const k = fitted.layout.categorical.length;
    let at = 0;
    for await (const batch of split.batches({ batchSize: 4096 })) {
      for (let r = 0; r < batch.size; r++, at++) {
        const i = labelled[at];
        assert.deepEqual(batch.numeric.subarray(r * n, r * n + n), fromColumns.numeric.subarray(i * n, i * n + n));
        assert.deepEqual(batch.categorical.subarray(r * k, r * k + k), fromColumns.categorical.subarray(i * k, i * k + k));
        assert.equal(batch.label[r], fromColumns.label[i]);
      }
    }
    assert.equal(at, labelled.length);
  });

  it('computes derived inputs from the raw columns a request carries', () => {
    assert.ok(
      fitted.inputs.some((i) => i.name === 'fare_per_mile'),
      'a derived column is a model input',
    );
    assert.ok(
      requestColumns(fitted).every((c) => c.name !== 'fare_per_mile'),
      'but not a request column',
    );
    assert.ok(requestColumns(fitted).some((c) => c.name === 'trip_miles'));
    const slot = fitted.layout.numeric.findIndex((n) => n.name === 'fare_per_mile');
    const n = fitted.layout.numeric.length;
    const [short, long] = transformRows(fitted, [
      { fare: 10, trip_miles: 2 },
      { fare: 10, trip_miles: 5 },
    ]).numeric.filter((_, i) => i % n === slot);
    assert.ok(short > long, 'fare per mile 5 scales above fare per mile 2');
    const sent = transformRows(fitted, [{ fare: 10, trip_miles: 2, fare_per_mile: 99 }]).numeric[slot];
    assert.equal(sent, short, 'a value sent for a derived column is recomputed, as ingest would');
  });

  it('reads a derived value the row carries when the row lacks what it is computed from (features.exclude)', () => {
    const [fromSources, carried, carriedOnly] = transformRows(fitted, [
      { fare: 10, tips: 5 },
      { fare: 10, big_tipper: false },
      { fare: 10, tips: 5, big_tipper: false },
    ]).label;
    assert.equal(fromSources, 1, 'computed from fare and tips');
    assert.equal(carried, 0, 'tips excluded from the examples: the label ingest computed is the truth');
    assert.equal(carriedOnly, 1, 'with its sources present the value is computed, whatever the row says');
  });

  it('transforms serving rows, which lack the label and the tips', async () => {
    const serving = await rawRows(path.join(TAXI, 'serving.csv'));
    const batch = transformRows(fitted, serving);
    assert.equal(batch.size, 100);
    assert.ok(!batch.numeric.some(Number.isNaN));
    assert.ok(batch.label.every(Number.isNaN));
    const sizes = fitted.layout.categorical.map((c) => c.size);
    batch.categorical.forEach((id, i) => assert.ok(id >= -1 && id < sizes[i % sizes.length]));
  });
});
