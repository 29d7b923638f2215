import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { computeCsvStatistics, readStatistics, writeStatistics, type DatasetStatistics } from '../../../src/core/stats';
import { isUserError } from '../../../src/core/util/problems';
import { SHARED_DATASETS, tempDir } from '../../helpers/tmp';
import { naiveCsv } from './helpers';

const work = tempDir('mlops-stats-csv-');

function feature(d: DatasetStatistics, name: string) {
  const f = d.features.find((x) => x.name === name);
  assert.ok(f, `no feature ${name}`);
  return f;
}

async function matchesNaive(file: string, missing: string[] = []) {
  const stats = await computeCsvStatistics(file, { missing, blockBytes: 200_000 });
  const expected = await naiveCsv(file, { missing });
  const d = stats.datasets[0];
  assert.equal(d.numExamples, expected.rows);
  for (const column of expected.columns) {
    const f = feature(d, column.name);
    assert.equal(f.type, column.type, column.name);
    assert.equal(f.numPresent, column.present, `${column.name} present`);
    assert.equal(f.numMissing, column.missing, `${column.name} missing`);
    if (column.mean !== undefined) assert.ok(Math.abs(f.numeric!.mean - column.mean) <= 1e-9 * Math.max(1, Math.abs(column.mean)), `${column.name} mean`);
    if (column.counts) {
      assert.equal(f.categorical!.unique, column.counts.size, `${column.name} unique`);
      for (const { value, count } of f.categorical!.topValues) assert.equal(count, column.counts.get(value), `${column.name}=${value}`);
    }
  }
  return stats;
}

describe('statistics straight from CSV', () => {
  it('match a naive computation on the taxi training data', async () => {
    const stats = await matchesNaive(path.join(SHARED_DATASETS, 'taxi', 'train.csv'));
    const company = feature(stats.datasets[0], 'company').categorical!;
    assert.equal(company.rankHistogramExact, true);
    assert.equal(company.topValues.length, 20);
  });

  it('match a naive computation on penguins and adult (with ? as missing)', async () => {
    await matchesNaive(path.join(SHARED_DATASETS, 'penguins', 'penguins_labelled.csv'));
    const adult = await matchesNaive(path.join(SHARED_DATASETS, 'adult', 'adult.csv'), ['?']);
    assert.ok(feature(adult.datasets[0], 'workclass').numMissing > 0);
  });

  it('gives the same figures with worker threads as in-thread', async () => {
    const file = path.join(SHARED_DATASETS, 'taxi', 'train.csv');
    const inThread = await computeCsvStatistics(file, { workers: 0, blockBytes: 100_000 });
    const parallel = await computeCsvStatistics(file, { workers: 2, blockBytes: 100_000 });
    assert.deepEqual(parallel, inThread);
  });

  it('widens types across blocks and re-reads numeric-looking blocks of a text column', async () => {
    const lines = ['id,code,flag,x'];
    for (let i = 0; i < 5000; i++) lines.push(`${i},${i < 4990 ? i % 7 : 'X' + (i % 3)},${i % 2 ? 'true' : 'FALSE'},${i < 10 ? i : i + 0.5}`);
    const file = path.join(work, 'widen.csv');
    writeFileSync(file, lines.join('\n') + '\n');
    for (const workers of [0, 2]) {
      const d = (await computeCsvStatistics(file, { blockBytes: 4096, workers })).datasets[0];
      assert.deepEqual(
        d.features.map((f) => f.type),
        ['int', 'string', 'bool', 'float'],
      );
      const code = feature(d, 'code').categorical!;
      assert.equal(code.unique, 10);
      assert.equal(
        code.topValues.reduce((n, v) => n + v.count, 0),
        5000,
      );
      assert.equal(code.topValues.find((v) => v.value === '0')!.count, 713);
      const flag = feature(d, 'flag');
      assert.ok(Math.abs(flag.numeric!.mean - 0.5) < 1e-12);
      assert.deepEqual(flag.categorical!.topValues, [
        { value: 'false', count: 2500 },
        { value: 'true', count: 2500 },
      ]);
      assert.equal(feature(d, 'code').numeric, undefined);
    }
  });

  it('handles quoted line breaks across block boundaries, bad rows and missing markers', async () => {
    const lines = ['name,note,n'];
    for (let i = 0; i < 2000; i++) lines.push(i % 50 === 0 ? `a${i},"multi\nline ""quoted"" note",NA` : `a${i},plain,${i}`);
    lines.push('broken,row');
    const file = path.join(work, 'quoted.csv');
    writeFileSync(file, lines.join('\r\n') + '\r\n');
    const progress: number[] = [];
    const d = (await computeCsvStatistics(file, { blockBytes: 1000, missing: ['NA'], onProgress: (p) => progress.push(p.badRows ?? 0) })).datasets[0];
    assert.equal(d.numExamples, 2000);
    assert.equal(feature(d, 'n').numMissing, 40);
    assert.deepEqual(feature(d, 'note').categorical!.topValues, [
      { value: 'plain', count: 1960 },
      { value: 'multi\nline "quoted" note', count: 40 },
    ]);
    assert.equal(feature(d, 'name').categorical!.unique, 2000);
    assert.equal(progress.at(-1), 1);
  });

  it('counts invalid UTF-8 values instead of dropping their rows', async () => {
    const file = path.join(work, 'latin1.csv');
    writeFileSync(file, Buffer.concat([Buffer.from('city,n\nZ'), Buffer.from([0xfc]), Buffer.from('rich,1\nBern,2\nZürich,3\n')]));
    const d = (await computeCsvStatistics(file)).datasets[0];
    assert.equal(d.numExamples, 3);
    const city = feature(d, 'city').categorical!;
    assert.equal(city.numInvalidUtf8, 1);
    assert.equal(city.unique, 3);
    assert.equal(city.avgLength, (6 + 4 + 7) / 3);
  });

  it('keeps sketches capped on a column of a million distinct strings', async () => {
    const file = path.join(work, 'distinct.csv');
    const rows = ['key,group'];
    for (let i = 0; i < 1_000_000; i++) rows.push(`k${i.toString(36)}x${i},${i % 3}`);
    writeFileSync(file, rows.join('\n') + '\n');
    const before = process.memoryUsage().heapUsed;
    const stats = await computeCsvStatistics(file, { workers: 0 });
    const grown = process.memoryUsage().heapUsed - before;
    const key = feature(stats.datasets[0], 'key').categorical!;
    assert.equal(key.uniqueExact, false);
    assert.ok(Math.abs(key.unique - 1_000_000) / 1_000_000 < 0.02, `estimate ${key.unique}`);
    assert.ok(key.rankHistogram.length <= 1000);
    assert.equal(key.rankHistogramExact, false);
    // The sketches: 1024 counters and 16384 hashes, not a million strings (~60 MB as a Map).
    assert.ok(grown < 40e6, `heap grew ${Math.round(grown / 1e6)} MB`);
  });

  it('summarises a file of 100,000 columns with memory in proportion to its cells', async () => {
    const columns = 100_000;
    const header = Array.from({ length: columns }, (_, i) => `c${i}`).join(',');
    const rows = Array.from({ length: 10 }, (_, r) => Array.from({ length: columns }, (_, i) => (i % 3 ? String((r * i) % 101) : `v${(r + i) % 6}`)).join(','));
    const file = path.join(work, 'wide.csv');
    writeFileSync(file, [header, ...rows].join('\n') + '\n');
    const stats = await computeCsvStatistics(file);
    const d = stats.datasets[0];
    assert.equal(d.numExamples, 10);
    assert.equal(d.features.length, columns);
    assert.equal(feature(d, 'c99998').type, 'int');
    assert.equal(feature(d, 'c99998').numeric!.max, Math.max(...Array.from({ length: 10 }, (_, r) => (r * 99998) % 101)));
    assert.equal(feature(d, 'c99').categorical!.unique, 6);
  });

  it('writes span datasets for the files of a glob', async () => {
    const dir = path.join(work, 'spans');
    require('node:fs').mkdirSync(dir);
    writeFileSync(path.join(dir, '1.csv'), 'a,b\n1,x\n2,y\n');
    writeFileSync(path.join(dir, '2.csv'), 'b,a\nz,3\n');
    const stats = await computeCsvStatistics(path.join(dir, '*.csv'), { split: 'serving' });
    assert.deepEqual(
      stats.datasets.map((d) => [d.name, d.span, d.numExamples]),
      [
        ['serving', undefined, 3],
        ['serving/1.csv', '1.csv', 2],
        ['serving/2.csv', '2.csv', 1],
      ],
    );
    assert.equal(feature(stats.datasets[0], 'a').numeric!.mean, 2);
  });

  it('writes and reads statistics files, and names a file that is not one', async () => {
    const stats = await computeCsvStatistics(path.join(SHARED_DATASETS, 'penguins', 'penguins_unlabelled.csv'));
    const file = path.join(work, 'out', 'statistics.json');
    await writeStatistics(file, stats);
    assert.deepEqual(await readStatistics(file), JSON.parse(JSON.stringify(stats)));
    const other = path.join(work, 'other.json');
    writeFileSync(other, '{"format":"something-else"}');
    for (const bad of [other, path.join(SHARED_DATASETS, 'penguins', 'penguins_unlabelled.csv'), path.join(work, 'none.json')]) {
      await assert.rejects(readStatistics(bad), (e: unknown) => isUserError(e) && e.message.includes(bad));
    }
  });
});

describe('statistics worker threads', () => {
  it('start from the compiled module (so the parallel tests above really are parallel)', async () => {
    const { StatsPool } = await import('../../../src/core/stats/workers.js');
    const pool = await StatsPool.start(1);
    assert.ok(pool, 'the worker pool did not start');
    await pool.close();
  });
});

describe('mlops stats (the command)', () => {
  // The command itself writes to stdout, which node --test uses for its own protocol, so these
  // check the pure functions it prints with.
  it('prints the documented flat JSON', async () => {
    const { statsJson } = await import('../../../src/cli/commands/stats.js');
    const json = JSON.parse(JSON.stringify(statsJson(await computeCsvStatistics(path.join(SHARED_DATASETS, 'taxi', 'train.csv')), 0)));
    assert.deepEqual(Object.keys(json), ['datasets', 'bad_rows']);
    assert.deepEqual(Object.keys(json.datasets[0]), ['name', 'numExamples', 'features']);
    const fare = json.datasets[0].features.find((f: { name: string }) => f.name === 'fare');
    assert.deepEqual(Object.keys(fare), [
      'name',
      'type',
      'count',
      'missing',
      'mean',
      'std_dev',
      'min',
      'median',
      'max',
      'zeros',
      'num_nan',
      'num_pos_inf',
      'num_neg_inf',
      'unique',
      'unique_exact',
      'top_values',
      'avg_length',
      'num_invalid_utf8',
    ]);
    assert.equal(fare.unique, null);
    const company = json.datasets[0].features.find((f: { name: string }) => f.name === 'company');
    assert.equal(company.mean, null);
    assert.deepEqual(company.top_values[0], { value: 'Taxi Affiliation Services', count: 3429 });
  });

  it('prints a table per dataset', async () => {
    const { renderDataset } = await import('../../../src/cli/commands/stats.js');
    const out = renderDataset((await computeCsvStatistics(path.join(SHARED_DATASETS, 'taxi', 'train.csv'))).datasets[0]);
    assert.match(out, /^train: 10,000 examples/);
    assert.match(out, /NUMERIC\s+TYPE\s+COUNT\s+MISSING\s+MEAN\s+STD_DEV\s+MIN\s+MEDIAN\s+MAX\s+ZEROS/);
    assert.match(out, /company\s+string\s+6,558\s+3,442 \(34\.4%\)\s+46\s+Taxi Affiliation Services\s+3,429/);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(computeCsvStatistics(path.join(SHARED_DATASETS, 'taxi', 'train.csv'), { signal: controller.signal }));
  });
});
