import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { ingest } from '../../../src/core/data/ingest';
import { categoricalCounts, computeStatistics, computeCsvStatistics, quantileView, type DatasetStatistics, type StatisticsFile } from '../../../src/core/stats';
import { isUserError } from '../../../src/core/util/problems';
import { ingestOptions } from '../data/helpers';
import { SHARED_DATASETS, tempDir } from '../../helpers/tmp';
import { naiveCsv } from './helpers';

const work = tempDir('mlops-stats-examples-');
const TRAIN = path.join(SHARED_DATASETS, 'taxi', 'train.csv');

function dataset(stats: StatisticsFile, name: string): DatasetStatistics {
  const d = stats.datasets.find((x) => x.name === name);
  assert.ok(d, `no dataset ${name} in ${stats.datasets.map((x) => x.name).join(', ')}`);
  return d;
}

function feature(d: DatasetStatistics, name: string) {
  const f = d.features.find((x) => x.name === name);
  assert.ok(f, `no feature ${name}`);
  return f;
}

/** The taxi training data as two spans (two halves of the file), no eval split. */
async function taxiExamples(): Promise<string> {
  const spans = path.join(work, 'spans');
  mkdirSync(spans);
  const text = readFileSync(TRAIN, 'utf8').trimEnd().split('\n');
  const half = Math.floor((text.length - 1) / 2);
  writeFileSync(path.join(spans, 'a.csv'), [text[0], ...text.slice(1, 1 + half)].join('\n') + '\n');
  writeFileSync(path.join(spans, 'b.csv'), [text[0], ...text.slice(1 + half)].join('\n') + '\n');
  const out = path.join(work, 'examples');
  // Small row groups, so merges across row groups (and across workers) are really exercised.
  await ingest(
    {
      ...ingestOptions(path.join(spans, '*.csv'), { eval: { split: { fraction: 0, seed: 7 } } }, { derive: { big_tipper: 'tips > 0.2 * fare' } }),
      rowGroupRows: 700,
    },
    out,
  );
  return out;
}

describe('statistics of the examples artifact', () => {
  let examples: string;
  let stats: StatisticsFile;
  before(async () => {
    examples = await taxiExamples();
    stats = await computeStatistics(examples, { slices: [['payment_type'], ['trip_start_day', 'big_tipper']], categorical: ['trip_start_hour'], workers: 0 });
  });

  it('matches a naive computation on the taxi data', async () => {
    const expected = await naiveCsv(TRAIN);
    const train = dataset(stats, 'train');
    assert.equal(train.numExamples, expected.rows);
    for (const column of expected.columns) {
      const f = feature(train, column.name);
      assert.equal(f.type, column.type);
      assert.equal(f.numPresent, column.present, column.name);
      assert.equal(f.numMissing, column.missing, column.name);
      if (column.mean !== undefined) assert.ok(Math.abs(f.numeric!.mean - column.mean) <= 1e-9 * Math.max(1, Math.abs(column.mean)), column.name);
      if (column.counts) {
        const counts = categoricalCounts(f.categorical!);
        assert.equal(f.categorical!.unique, column.counts.size);
        for (const [value, count] of column.counts) assert.equal(counts.get(value), count, `${column.name}=${value}`);
      }
    }
  });

  it('gives the CSV path the same figures', async () => {
    const csv = dataset(await computeCsvStatistics(TRAIN, { categorical: ['trip_start_hour'] }), 'train');
    const train = dataset(stats, 'train');
    for (const f of csv.features) {
      const g = feature(train, f.name);
      assert.deepEqual([g.type, g.numPresent, g.numMissing], [f.type, f.numPresent, f.numMissing]);
      if (f.numeric) {
        assert.ok(Math.abs(g.numeric!.mean - f.numeric.mean) <= 1e-9 * Math.max(1, Math.abs(f.numeric.mean)));
        assert.deepEqual([g.numeric!.min, g.numeric!.max, g.numeric!.numZeros], [f.numeric.min, f.numeric.max, f.numeric.numZeros]);
      }
      if (f.categorical) assert.deepEqual(g.categorical!.topValues, f.categorical.topValues);
    }
  });

  it('has a dataset per span, and spans add up to the split', () => {
    const a = dataset(stats, 'train/a.csv');
    const b = dataset(stats, 'train/b.csv');
    assert.equal(a.span, 'a.csv');
    assert.equal(a.numExamples + b.numExamples, 10_000);
    const fare = (d: DatasetStatistics) => feature(d, 'fare').numeric!;
    const mean = (fare(a).mean * a.numExamples + fare(b).mean * b.numExamples) / 10_000;
    assert.ok(Math.abs(mean - fare(dataset(stats, 'train')).mean) < 1e-9);
    assert.equal(quantileView(fare(dataset(stats, 'train'))).count, quantileView(fare(a)).count + quantileView(fare(b)).count);
  });

  it('gives bool features numeric and categorical statistics, and int features marked categorical both', () => {
    const train = dataset(stats, 'train');
    const tipper = feature(train, 'big_tipper');
    assert.equal(tipper.type, 'bool');
    const trues = categoricalCounts(tipper.categorical!).get('true')!;
    assert.ok(Math.abs(tipper.numeric!.mean - trues / tipper.numPresent) < 1e-12);
    const hour = feature(train, 'trip_start_hour');
    assert.ok(hour.numeric && hour.categorical);
    assert.equal(hour.categorical.unique, 24);
    assert.equal(feature(train, 'trip_start_day').categorical, undefined);
    assert.equal(feature(train, 'company').numeric, undefined);
  });

  it('has TFMA-named slices whose counts are the rows with that value', async () => {
    const expected = await naiveCsv(TRAIN);
    const payment = expected.columns.find((c) => c.name === 'payment_type')!.counts!;
    for (const [value, count] of payment) {
      const slice = dataset(stats, `train|payment_type:${value}`);
      assert.equal(slice.numExamples, count);
      assert.deepEqual(slice.slice, [{ feature: 'payment_type', value }]);
      assert.equal(feature(slice, 'payment_type').categorical!.unique, 1);
    }
    const crossed = stats.datasets.filter((d) => d.name.startsWith('train|trip_start_day_X_big_tipper:'));
    assert.ok(crossed.some((d) => d.name === 'train|trip_start_day_X_big_tipper:1_X_true'));
    assert.equal(
      crossed.reduce((n, d) => n + d.numExamples, 0),
      10_000,
    );
  });

  it('gives the same statistics with worker threads as in-thread', async () => {
    const parallel = await computeStatistics(examples, {
      slices: [['payment_type'], ['trip_start_day', 'big_tipper']],
      categorical: ['trip_start_hour'],
      workers: 2,
    });
    assert.deepEqual(parallel, stats);
  });

  it('refuses unknown features with the list of known ones', async () => {
    await assert.rejects(
      computeStatistics(examples, { slices: [['nope']] }),
      (e: unknown) => isUserError(e) && e.message.includes("'nope'") && e.message.includes('payment_type'),
    );
  });

  it('works on penguins and adult, spans with eval and serving splits', async () => {
    const out = path.join(work, 'adult');
    const adult = path.join(work, 'adult.csv');
    copyFileSync(path.join(SHARED_DATASETS, 'adult', 'adult.csv'), adult);
    await ingest(ingestOptions(adult, { missing: ['?'] }), out);
    const s = await computeStatistics(out);
    assert.deepEqual(
      s.datasets.map((d) => d.name),
      ['train', 'train/adult.csv', 'eval', 'eval/adult.csv'],
    );
    const expected = await naiveCsv(adult, { missing: ['?'] });
    const both = ['train', 'eval'].map((n) => dataset(s, n));
    assert.equal(both[0].numExamples + both[1].numExamples, expected.rows);
    for (const column of expected.columns) {
      const present = both.reduce((n, d) => n + feature(d, column.name).numPresent, 0);
      assert.equal(present, column.present, column.name);
    }
    const penguins = path.join(work, 'penguins');
    await ingest(ingestOptions(path.join(SHARED_DATASETS, 'penguins', 'penguins_labelled.csv'), { eval: { split: { fraction: 0, seed: 1 } } }), penguins);
    const p = dataset(await computeStatistics(penguins), 'train');
    const naive = await naiveCsv(path.join(SHARED_DATASETS, 'penguins', 'penguins_labelled.csv'));
    for (const column of naive.columns) {
      const f = feature(p, column.name);
      assert.equal(f.numMissing, column.missing);
      if (column.mean !== undefined) assert.ok(Math.abs(f.numeric!.mean - column.mean) < 1e-9 * Math.max(1, Math.abs(column.mean)));
    }
  });
});
