import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readCsv, type BadRow, type CsvOptions, type CsvRecord } from '../../../src/core/data/csv';
import { isUserError } from '../../../src/core/util/problems';
import { tempDir } from '../../helpers/tmp';
import { writeFile } from './helpers';

const dir = tempDir('mlops-csv-');

async function readAll(file: string, options: CsvOptions = {}) {
  const records: CsvRecord[] = [];
  const bad: BadRow[] = [];
  let columns: readonly string[] = [];
  for await (const batch of readCsv(file, options)) {
    columns = batch.columns;
    records.push(...batch.records);
    bad.push(...batch.bad);
  }
  return { columns, records, bad, rows: records.map((r) => r.fields) };
}

async function userError(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (e) {
    assert.ok(isUserError(e), `expected a UserError, got ${String(e)}`);
    return e.message;
  }
  assert.fail('expected a UserError');
}

describe('readCsv', () => {
  it('reads the header and numbers data rows and lines', async () => {
    const file = writeFile(dir, 'simple.csv', 'a,b\n1,x\n\n2,"y\nz"\n3,w\n');
    const { columns, records } = await readAll(file);
    assert.deepEqual(columns, ['a', 'b']);
    assert.deepEqual(
      records.map((r) => [r.row, r.line, ...r.fields]),
      [
        [1, 2, '1', 'x'],
        [2, 4, '2', 'y\nz'],
        [3, 6, '3', 'w'],
      ],
    );
  });

  it('skips a UTF-8 byte order mark and reads CRLF files', async () => {
    const file = writeFile(dir, 'bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('name,n\r\nx,1\r\n')]));
    const { columns, rows } = await readAll(file);
    assert.deepEqual(columns, ['name', 'n']);
    assert.deepEqual(rows, [['x', '1']]);
  });

  it('gives the same records whatever the chunk size', async () => {
    const text = '\ufeffid,text,n\r\n1,"a,b ""q""\r\nnext",3\r\n2,café,4\n3,"",\n4,"日本, 語",5\r\n5,plain,6';
    const file = writeFile(dir, 'chunks.csv', text);
    const expected = await readAll(file);
    assert.equal(expected.records.length, 5);
    for (let chunkSize = 1; chunkSize <= 17; chunkSize++) {
      const got = await readAll(file, { chunkSize });
      assert.deepEqual(got.columns, ['id', 'text', 'n'], `chunk size ${chunkSize}`);
      assert.deepEqual(got.rows, expected.rows, `chunk size ${chunkSize}`);
      assert.deepEqual(
        got.records.map((r) => [r.row, r.line]),
        expected.records.map((r) => [r.row, r.line]),
        `chunk size ${chunkSize}`,
      );
    }
  });

  it('reads a record far longer than a chunk', async () => {
    const long = 'x'.repeat(300_000) + '\n' + '""'.repeat(1000);
    const file = writeFile(dir, 'long.csv', `a,b\n1,"${long}"\n2,y\n`);
    const { rows } = await readAll(file, { chunkSize: 1024 });
    assert.equal(rows.length, 2);
    assert.equal(rows[0][1], 'x'.repeat(300_000) + '\n' + '"'.repeat(1000));
    assert.deepEqual(rows[1], ['2', 'y']);
  });

  it('uses the given column names when the file has no header', async () => {
    const file = writeFile(dir, 'noheader.csv', '1;2\n3;4\n');
    const { columns, records } = await readAll(file, { columns: ['x', 'y'], delimiter: ';' });
    assert.deepEqual(columns, ['x', 'y']);
    assert.deepEqual(
      records.map((r) => [r.row, r.line]),
      [
        [1, 1],
        [2, 2],
      ],
    );
  });

  it('reports a row with the wrong field count as a bad row, with row and line', async () => {
    const file = writeFile(dir, 'count.csv', 'a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n');
    const { rows, bad } = await readAll(file);
    assert.deepEqual(rows, [
      ['1', '2', '3'],
      ['10', '11', '12'],
    ]);
    assert.deepEqual(
      bad.map((b) => [b.row, b.line, b.reason, b.raw]),
      [
        [2, 3, 'expected 3 fields, found 2', '4,5'],
        [3, 4, 'expected 3 fields, found 4', '6,7,8,9'],
      ],
    );
    assert.equal(bad[0].file, file);
  });

  it('reports non-UTF-8 bytes, text after a quote and an unterminated quote as bad rows', async () => {
    const bytes = Buffer.concat([Buffer.from('a,b\n1,ok\n2,Z'), Buffer.from([0xfc]), Buffer.from('rich\n3,"x"y\n4,fine\n5,"never closed\n6,z\n')]);
    const file = writeFile(dir, 'bad.csv', bytes);
    const { rows, bad } = await readAll(file);
    assert.deepEqual(rows, [
      ['1', 'ok'],
      ['4', 'fine'],
    ]);
    assert.deepEqual(
      bad.map((b) => [b.row, b.line]),
      [
        [2, 3],
        [3, 4],
        [5, 6],
      ],
    );
    assert.match(bad[0].reason, /invalid UTF-8 byte 0xFC in field 2/);
    assert.match(bad[1].reason, /text after the closing quote of field 2/);
    assert.match(bad[2].reason, /unterminated quote: the quote that opens field 2 on line 6 is never closed/);
  });

  it('fails on a missing file, an empty file and a file without data rows', async () => {
    assert.match(await userError(() => readAll(`${dir}/absent.csv`)), /absent\.csv: error: data file not found/);
    const empty = writeFile(dir, 'empty.csv', '');
    assert.match(await userError(() => readAll(empty)), /empty\.csv: error: the file is empty \(0 bytes\)/);
    const headerOnly = writeFile(dir, 'header-only.csv', 'a,b\n');
    assert.match(await userError(() => readAll(headerOnly)), /header-only\.csv: error: the file has a header row but no data rows/);
    const blank = writeFile(dir, 'blank.csv', '\n\r\n\n');
    assert.match(await userError(() => readAll(blank)), /blank\.csv: error: the file has only blank lines/);
  });

  it('fails when the first row looks like data', async () => {
    const file = writeFile(dir, 'numbers.csv', '1,2.5,3\n4,5,6\n');
    const message = await userError(() => readAll(file));
    assert.match(message, /numbers\.csv:1, row 0: error: the first row looks like data, not a header: 1, 2\.5, 3/);
    assert.match(message, /hint: add a header row or set data\.columns/);
  });

  it('fails on duplicate and empty header names', async () => {
    const dup = writeFile(dir, 'dup.csv', 'a,b,a\n1,2,3\n');
    assert.match(await userError(() => readAll(dup)), /dup\.csv:1, row 0, field column 3: error: the header row names column 'a' twice \(columns 1 and 3\)/);
    const empty = writeFile(dir, 'emptyname.csv', 'a,,c\n1,2,3\n');
    assert.match(await userError(() => readAll(empty)), /emptyname\.csv:1, row 0, field column 2: error: the header row has an empty column name \(column 2\)/);
  });

  it('rejects a delimiter that is not one ASCII character', async () => {
    const file = writeFile(dir, 'delim.csv', 'a\n1\n');
    assert.match(await userError(() => readAll(file, { delimiter: '::' })), /the delimiter must be one ASCII character/);
  });
});
