import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { BoolColumn, openExamples, StringColumn } from '../../../src/core/data/examples';
import { ingest, type IngestOptions, type IngestProgress } from '../../../src/core/data/ingest';
import { isUserError } from '../../../src/core/util/problems';
import { tempDir } from '../../helpers/tmp';
import { DATASETS, FIXTURES, ingestOptions, PIPELINE, writeFile } from './helpers';

const taxi = (file: string) => path.join(DATASETS, 'taxi', file);
const adult = path.join(DATASETS, 'adult', 'adult.csv');
const work = tempDir('mlops-ingest-');
let outCount = 0;
const outDir = () => path.join(work, `out-${++outCount}`);

async function ingestError(options: IngestOptions): Promise<string> {
  try {
    await ingest(options, outDir());
  } catch (e) {
    assert.ok(isUserError(e), `expected a UserError, got ${String(e)}`);
    return e.message;
  }
  assert.fail('expected ingest to fail');
}

function countTrue(column: BoolColumn): number {
  let n = 0;
  for (let i = 0; i < column.length; i++) if (column.valid[i] && column.values[i]) n++;
  return n;
}

describe('ingest of the taxi data', () => {
  it('writes train, eval and serving with types, the derived label and tips excluded', async () => {
    const out = outDir();
    const progress: IngestProgress[] = [];
    const summary = await ingest(
      ingestOptions(
        taxi('train.csv'),
        {
          eval: { files: { value: taxi('eval.csv'), location: { file: PIPELINE, line: 4 } } },
          serving: { value: taxi('serving.csv'), location: { file: PIPELINE, line: 5 } },
        },
        { derive: { big_tipper: 'tips > 0.2 * fare' }, exclude: ['tips'] },
        'big_tipper',
      ),
      out,
      (p) => progress.push(p),
    );
    assert.deepEqual(
      summary.splits.map((s) => [s.name, s.rows]),
      [
        ['train', 10000],
        ['eval', 5000],
        ['serving', 100],
      ],
    );
    assert.deepEqual(summary.splits[0].spans, [{ name: 'train.csv', file: taxi('train.csv'), rows: 10000, badRows: 0 }]);
    assert.equal(summary.badRows.count, 0);
    const types = Object.fromEntries(summary.columns.map((c) => [c.name, c.type]));
    assert.deepEqual(
      [types.fare, types.trip_start_hour, types.trip_start_timestamp, types.pickup_latitude, types.payment_type, types.company, types.big_tipper],
      ['float', 'int', 'int', 'float', 'string', 'string', 'bool'],
    );
    assert.equal(types.tips, undefined);
    assert.equal(summary.columns.length, 18);
    assert.deepEqual(summary.columns.at(-1), { name: 'big_tipper', type: 'bool', source: 'derived', expression: 'tips > 0.2 * fare' });
    assert.equal(
      summary.bytesRead,
      [taxi('train.csv'), taxi('eval.csv'), taxi('serving.csv')].reduce((n, f) => n + readFileSync(f).length, 0),
    );

    const reader = await openExamples(out);
    const train = await reader.readColumns('train');
    // awk -F, 'NR>1 && $18 > 0.2*$2' train.csv | wc -l
    assert.equal(countTrue(train.column('big_tipper') as BoolColumn), 2249);
    assert.deepEqual([train.row(0).fare, train.row(0).payment_type, train.row(0).pickup_census_tract, train.row(0).big_tipper], [12.85, 'Cash', null, false]);
    const serving = await reader.readColumns('serving');
    assert.equal(
      (serving.column('big_tipper') as BoolColumn).valid.every((v) => v === 0),
      true,
      'no tips at serving, so no label',
    );
    assert.deepEqual(reader.split('serving').spans[0].absentColumns, ['tips']);

    assert.deepEqual([...new Set(progress.map((p) => p.phase))], ['infer', 'write']);
    const last = progress.at(-1)!;
    assert.deepEqual([last.bytesRead, last.totalBytes, last.rows], [summary.bytesRead, summary.bytesRead, 15100]);
  });
});

describe('ingest of the adult data', () => {
  it('marks ? as missing, splits by hash and derives the income label', async () => {
    const out = outDir();
    const summary = await ingest(ingestOptions(adult, { missing: ['?'] }, { derive: { label: "income == '>50K'" } }, 'label'), out);
    const [train, evalSplit] = summary.splits;
    assert.equal(train.rows + evalSplit.rows, 32561);
    assert.ok(Math.abs(evalSplit.rows / 32561 - 0.2) < 0.01, `eval share ${evalSplit.rows / 32561}`);
    const types = Object.fromEntries(summary.columns.map((c) => [c.name, c.type]));
    assert.deepEqual(
      [types.age, types.workclass, types.fnlwgt, types.education_num, types.capital_gain, types.native_country, types.income, types.label],
      ['int', 'string', 'int', 'int', 'int', 'string', 'string', 'bool'],
    );

    const reader = await openExamples(out);
    let workclassMissing = 0;
    let occupationMissing = 0;
    let richer = 0;
    for (const split of ['train', 'eval']) {
      const batch = await reader.readColumns(split);
      workclassMissing += batch.column('workclass').valid.filter((v) => v === 0).length;
      occupationMissing += batch.column('occupation').valid.filter((v) => v === 0).length;
      richer += countTrue(batch.column('label') as BoolColumn);
      assert.ok(!(batch.column('workclass') as StringColumn).dictionary.includes('?'));
    }
    // Counted with awk on the raw file: $2 == "?" and $7 == "?"; 7841 rows say >50K.
    assert.deepEqual([workclassMissing, occupationMissing, richer], [1836, 1843, 7841]);
  });

  it('gives the same split on a second run', async () => {
    const options = ingestOptions(adult, { missing: ['?'], eval: { split: { fraction: 0.3, seed: 42 } } });
    const a = await ingest(options, outDir());
    const b = await ingest(options, outDir());
    assert.deepEqual(a.splits, b.splits);
  });

  it('trims the spaces after commas of the original UCI files', async () => {
    const out = outDir();
    const file = path.join(FIXTURES, 'adult_spaces.csv');
    const summary = await ingest(
      ingestOptions(file, { missing: ['?'], eval: { split: { fraction: 0, seed: 1 } } }, { derive: { rich: "income == '>50K'" } }),
      out,
    );
    assert.deepEqual(
      summary.columns.map((c) => `${c.name}:${c.type}`),
      ['age:int', 'workclass:string', 'education:string', 'hours_per_week:int', 'income:string', 'rich:bool'],
    );
    const rows = await (await openExamples(out)).readColumns('train');
    assert.deepEqual(rows.row(1), { age: 50, workclass: null, education: 'Bachelors', hours_per_week: 13, income: '>50K', rich: true });
    assert.deepEqual(rows.row(3).education, '11th, dropout');
    assert.equal(rows.row(2).hours_per_week, null);
  });
});

describe('ingest of spans and derived columns', () => {
  it('reads every span of a glob and derives from earlier derived columns', async () => {
    const out = outDir();
    const summary = await ingest(
      ingestOptions(
        path.join(FIXTURES, 'spans', 'day-*.csv'),
        { eval: { split: { fraction: 0.5, seed: 3 } } },
        { derive: { weighted: 'clicks * coalesce(rate, 0)', high: 'weighted >= 5', label: "if(high, 'high', 'low')" }, exclude: ['weighted'] },
      ),
      out,
    );
    assert.deepEqual(
      summary.splits[0].spans.map((s) => s.name),
      ['day-01.csv', 'day-02.csv', 'day-10.csv'],
    );
    assert.deepEqual(
      summary.splits[1].spans.map((s) => s.name),
      ['day-01.csv', 'day-02.csv', 'day-10.csv'],
    );
    assert.equal(summary.splits[0].rows + summary.splits[1].rows, 6);
    assert.deepEqual(
      summary.columns.map((c) => `${c.name}:${c.type}`),
      ['day:int', 'clicks:int', 'rate:float', 'high:bool', 'label:string'],
    );
    const reader = await openExamples(out);
    const rows = [];
    for (const split of ['train', 'eval']) {
      const batch = await reader.readColumns(split);
      for (let i = 0; i < batch.rows; i++) rows.push(batch.row(i));
    }
    rows.sort((a, b) => (a.day as number) - (b.day as number) || (a.clicks as number) - (b.clicks as number));
    assert.deepEqual(
      rows.map((r) => [r.day, r.clicks, r.rate, r.high, r.label]),
      [
        [1, 10, 0.5, true, 'high'],
        [1, 12, 0.25, false, 'low'],
        [2, 7, 0.75, true, 'high'],
        [10, 3, 1, false, 'low'],
        [10, 4, 0.5, false, 'low'],
        [10, 5, null, false, 'low'],
      ],
    );
  });
});

describe('ingest failures name the file and the row or the pipeline line', () => {
  const dir = tempDir('mlops-ingest-bad-');

  it('an empty CSV', async () => {
    const file = writeFile(dir, 'empty.csv', '');
    assert.match(await ingestError(ingestOptions(file)), /empty\.csv: error: the file is empty \(0 bytes\): no header row and no data rows/);
  });

  it('a CSV without a header', async () => {
    const file = writeFile(dir, 'headless.csv', '1,2\n3,4\n');
    const message = await ingestError(ingestOptions(file));
    assert.match(message, /headless\.csv:1, row 0: error: the first row looks like data, not a header/);
    assert.match(message, /hint: add a header row or set data\.columns/);
  });

  it('an unterminated quote', async () => {
    const file = writeFile(dir, 'quote.csv', 'a,b\n1,x\n2,"oops\n3,y\n');
    const message = await ingestError(ingestOptions(file));
    assert.match(message, /too many bad rows: at least 1, more than data\.max_bad_rows \(0\)/);
    assert.match(message, /hint: fix the rows or raise data\.max_bad_rows; the first 1 are below/);
    assert.ok(message.includes(`${file}:3, row 2: error: unterminated quote: the quote that opens field 2 on line 3 is never closed`), message);
  });

  it('a row with the wrong number of fields', async () => {
    const file = writeFile(dir, 'count.csv', 'a,b,c\n1,2,3\n4,5\n');
    const message = await ingestError(ingestOptions(file));
    assert.ok(message.includes(`${file}:3, row 2: error: expected 3 fields, found 2`), message);
  });

  it('bytes that are not UTF-8', async () => {
    const file = writeFile(dir, 'latin1.csv', Buffer.concat([Buffer.from('city,n\nParis,1\nS'), Buffer.from([0xe3]), Buffer.from('o Paulo,2\n')]));
    const message = await ingestError(ingestOptions(file));
    assert.ok(message.includes(`${file}:3, row 2: error: invalid UTF-8 byte 0xE3 in field 1`), message);
  });

  it('a derived expression that does not parse', async () => {
    const message = await ingestError(ingestOptions(taxi('serving.csv'), {}, { derive: { cheap: 'fare < (10 * trip_miles' } }));
    // The expression starts at column 20 of line 10; the missing ')' is due at its column 24.
    assert.equal(message, `${PIPELINE}:10:43: error: features.derive.cheap: expected ')' at column 24, found the end of the expression`);
  });

  it('a derived expression naming an unknown column', async () => {
    const message = await ingestError(ingestOptions(taxi('serving.csv'), {}, { derive: { big_tipper: 'tips > 0.2 * fare' } }));
    assert.match(message, /demo\.pipeline\.yaml:10:20: error: features\.derive\.big_tipper: unknown column 'tips' at column 1/);
    assert.match(message, /hint: columns: pickup_community_area, fare, /);
  });

  it('a missing data file', async () => {
    const file = path.join(dir, 'nope.csv');
    assert.equal(await ingestError(ingestOptions(file)), `${PIPELINE}:3:10: error: data.train: data file not found: ${file}`);
  });

  it('a glob matching nothing', async () => {
    const pattern = path.join(dir, 'spans', '*.csv');
    const message = await ingestError(ingestOptions(pattern));
    assert.ok(message.startsWith(`${PIPELINE}:3:10: error: data.train: no file matches ${pattern}`), message);
  });

  it('too many bad rows, as a share', async () => {
    const lines = ['a,b'];
    for (let i = 1; i <= 100; i++) lines.push(i % 10 === 0 ? `${i}` : `${i},x`);
    const file = writeFile(dir, 'share.csv', lines.join('\n') + '\n');
    const kept = path.join(tempDir(), 'kept-bad-rows.jsonl');
    const keepBadRows = async (log: string) => {
      copyFileSync(log, kept);
      return kept;
    };
    const message = await ingestError({ ...ingestOptions(file, { maxBadRows: 0.05 }), keepBadRows });
    assert.match(message, /too many bad rows: 10, more than data\.max_bad_rows \(5% of 100 rows = 5\)/);
    assert.ok(message.includes(`${file}:11 expected 2 fields, found 1`), message);
    assert.ok(message.includes(`${file}:11, row 10: error: expected 2 fields, found 1`), message);
    assert.ok(message.includes(`hint: fix the rows or raise data.max_bad_rows; every bad row is listed in ${kept}`), message);
    assert.equal(readFileSync(kept, 'utf8').trim().split('\n').length, 10, 'the whole list outlives the failed ingest');
  });

  it('keeps bad rows under the limit in bad_rows.jsonl and the summary', async () => {
    const file = writeFile(dir, 'some-bad.csv', 'a,b\n1,x\n2\n3,y\n4,"z\n');
    const out = outDir();
    const summary = await ingest(ingestOptions(file, { maxBadRows: 2 }), out);
    assert.equal(
      summary.splits.reduce((n, s) => n + s.rows, 0),
      2,
    );
    assert.equal(summary.badRows.count, 2);
    assert.deepEqual(
      summary.badRows.first.map((b) => [b.row, b.line]),
      [
        [2, 3],
        [4, 5],
      ],
    );
    const logged = readFileSync(path.join(out, 'bad_rows.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(logged[0], { file, row: 2, line: 3, reason: 'expected 2 fields, found 1', raw: '2' });
    assert.equal(logged[1].raw, '4,"z\n');
    assert.equal(summary.splits[0].spans[0].badRows, 2);
  });

  it('an excluded column that does not exist', async () => {
    const message = await ingestError(ingestOptions(taxi('serving.csv'), {}, { exclude: ['fares'] }));
    assert.equal(message, `${PIPELINE}:20:14: error: features.exclude: no column named 'fares'\n  hint: did you mean 'fare'?`);
  });

  it('a label that is not a column', async () => {
    const message = await ingestError(ingestOptions(taxi('serving.csv'), {}, {}, 'tips'));
    assert.match(message, /demo\.pipeline\.yaml:30:8: error: label: no column named 'tips' in the data or features\.derive/);
  });

  it('spans whose columns differ', async () => {
    const message = await ingestError(
      ingestOptions(taxi('serving.csv'), { eval: { files: { value: taxi('train.csv'), location: { file: PIPELINE, line: 4 } } } }),
    );
    assert.match(message, /train\.csv:1, row 0: error: the columns differ from the first training span \(.*serving\.csv\): this file has 'tips' in addition/);
  });

  it('an eval file that is also a training span', async () => {
    const message = await ingestError(
      ingestOptions(path.join(DATASETS, 'taxi', '*.csv'), { eval: { files: { value: taxi('eval.csv'), location: { file: PIPELINE, line: 4, column: 9 } } } }),
    );
    assert.match(message, /demo\.pipeline\.yaml:4:9: error: data\.eval: .*eval\.csv is also a training span/);
  });
});
