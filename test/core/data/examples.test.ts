import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { Value } from '../../../src/core/data/cells';
import { ExamplesWriter, NumberColumn, openExamples, StringColumn, type ColumnMeta } from '../../../src/core/data/examples';
import { isUserError } from '../../../src/core/util/problems';
import { tempDir } from '../../helpers/tmp';

const columns: ColumnMeta[] = [
  { name: 'n', type: 'int', source: 'csv' },
  { name: 'x', type: 'float', source: 'csv' },
  { name: 'ok', type: 'bool', source: 'csv' },
  { name: 's', type: 'string', source: 'csv' },
  { name: 'twice', type: 'float', source: 'derived', expression: 'x * 2' },
];

function sampleRow(i: number): Value[] {
  const words = ['', 'a', 'b', 'naïve', '日本語', '😀 emoji', 'a,b "q"'];
  return [i, i % 5 === 0 ? null : i / 4, i % 3 === 0 ? null : i % 2 === 0, i % 7 === 6 ? null : words[i % 7], i % 5 === 0 ? null : i / 2];
}

describe('examples artifact', () => {
  it('round-trips rows through several row groups and spans', async () => {
    const dir = tempDir('mlops-examples-');
    const writer = new ExamplesWriter(dir, columns, 4);
    const first = writer.openSpan('train', { name: 'day-1.csv', source: '/data/day-1.csv' });
    const expected: Value[][] = [];
    for (let i = 0; i < 10; i++) {
      first.append(sampleRow(i));
      expected.push(sampleRow(i));
    }
    first.close(2);
    const second = writer.openSpan('train', { name: 'day-2.csv', source: '/data/day-2.csv' });
    for (let i = 10; i < 13; i++) {
      second.append(sampleRow(i));
      expected.push(sampleRow(i));
    }
    second.close();
    writer.openSpan('eval', { name: 'empty.csv', source: '/data/empty.csv' }).close();
    const meta = writer.finish();
    assert.deepEqual(
      meta.splits.map((s) => [s.name, s.rows]),
      [
        ['train', 13],
        ['eval', 0],
      ],
    );
    assert.deepEqual(
      meta.splits[0].spans.map((s) => s.rowGroups.map((g) => g.rows)),
      [[4, 4, 2], [3]],
    );
    assert.equal(meta.badRows, 2);

    const reader = await openExamples(dir);
    assert.deepEqual(reader.columns, columns);
    const all = await reader.readColumns('train');
    assert.equal(all.rows, 13);
    const got = Array.from({ length: all.rows }, (_, i) => columns.map((c) => all.row(i)[c.name]));
    assert.deepEqual(got, expected);

    const groups = [];
    for await (const group of reader.rowGroups('train')) groups.push(group);
    assert.deepEqual(
      groups.map((g) => [g.span, g.rows]),
      [
        ['day-1.csv', 4],
        ['day-1.csv', 4],
        ['day-1.csv', 2],
        ['day-2.csv', 3],
      ],
    );
    const second2 = await reader.readColumns('train', 'day-2.csv');
    assert.deepEqual(second2.row(1), { n: 11, x: 2.75, ok: false, s: '日本語', twice: 5.5 });
    assert.equal((await reader.readColumns('eval')).rows, 0);
  });

  it('keeps empty strings apart from missing ones', async () => {
    const dir = tempDir('mlops-examples-');
    const writer = new ExamplesWriter(dir, [{ name: 's', type: 'string', source: 'csv' }]);
    const span = writer.openSpan('train', { name: 'a', source: 'a.csv' });
    for (const v of ['', null, 'x', '', null]) span.append([v]);
    span.close();
    writer.finish();
    const batch = await (await openExamples(dir)).readColumns('train');
    const s = batch.column('s') as StringColumn;
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((i) => s.get(i)),
      ['', null, 'x', '', null],
    );
    assert.deepEqual([...s.valid], [1, 0, 1, 1, 0]);
    assert.deepEqual([...s.codes], [0, -1, 1, 0, -1]);
    assert.deepEqual(s.dictionary, ['', 'x']);
  });

  it('views row group buffers in place, without copying', async () => {
    const dir = tempDir('mlops-examples-');
    const writer = new ExamplesWriter(dir, columns.slice(0, 2));
    const span = writer.openSpan('train', { name: 'a', source: 'a.csv' });
    for (let i = 0; i < 100; i++) span.append([i, i % 10 === 0 ? null : i + 0.5]);
    span.close();
    writer.finish();
    const reader = await openExamples(dir);
    for await (const group of reader.rowGroups('train')) {
      const n = group.column('n') as NumberColumn;
      const x = group.column('x') as NumberColumn;
      assert.equal(n.values.buffer, x.values.buffer, 'both columns view one buffer');
      assert.equal(x.valid.buffer, x.values.buffer);
      assert.equal(x.values[0], NaN);
      assert.equal(x.get(0), null);
      assert.equal(x.get(1), 1.5);
      assert.equal(
        n.valid.every((v) => v === 1),
        true,
      );
    }
  });

  it('merges string dictionaries across row groups', async () => {
    const dir = tempDir('mlops-examples-');
    const writer = new ExamplesWriter(dir, [{ name: 's', type: 'string', source: 'csv' }], 2);
    const span = writer.openSpan('train', { name: 'a', source: 'a.csv' });
    for (const v of ['b', 'a', 'a', 'c', 'b', null]) span.append([v]);
    span.close();
    writer.finish();
    const s = (await (await openExamples(dir)).readColumns('train')).column('s') as StringColumn;
    assert.deepEqual(s.dictionary, ['b', 'a', 'c']);
    assert.deepEqual([...s.codes], [0, 1, 1, 2, 0, -1]);
  });

  it('refuses an artifact of another format version', async () => {
    const dir = tempDir('mlops-examples-');
    new ExamplesWriter(dir, columns).finish();
    const metaFile = path.join(dir, 'meta.json');
    writeFileSync(metaFile, readFileSync(metaFile, 'utf8').replace('"version": 1', '"version": 99'));
    await assert.rejects(openExamples(dir), (e) => isUserError(e) && /v99 is not mlops-examples v1/.test(e.message));
    await assert.rejects(openExamples(path.join(dir, 'nope')), (e) => isUserError(e) && /meta\.json is missing/.test(e.message));
  });
});
