import assert from 'node:assert/strict';
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { describe, it } from 'node:test';
import { openTransformedSplit, readTransformedMeta, TransformedSplitReader, TransformedSplitWriter } from '../../../src/core/transform/dataset';
import type { RecordSource } from '../../../src/core/transform/dataset';
import type { FeatureLayout, TransformedBatch } from '../../../src/core/transform/types';
import { tempDir } from '../../helpers/tmp';

const layout: FeatureLayout = {
  numeric: [{ name: 'x' }, { name: 'y' }],
  categorical: [{ name: 'c', size: 1000000, encoding: 'embedding', embeddingDim: 8 }],
};

/** Row r carries r in every field, so a read-back row names itself. */
function writeSplit(dir: string, rows: number, chunk = 1000): void {
  const writer = new TransformedSplitWriter(dir, 'train', layout);
  for (let start = 0; start < rows; start += chunk) {
    const size = Math.min(chunk, rows - start);
    const batch: TransformedBatch = { size, numeric: new Float32Array(size * 2), categorical: new Int32Array(size), label: new Float32Array(size) };
    for (let i = 0; i < size; i++) {
      const r = start + i;
      batch.numeric[i * 2] = r;
      batch.numeric[i * 2 + 1] = -r;
      batch.categorical[i] = r;
      batch.label[i] = r % 2;
    }
    writer.write(batch);
  }
  writer.finish();
}

async function rowOrder(split: { batches: TransformedSplitReader['batches'] }, options: Parameters<TransformedSplitReader['batches']>[0]): Promise<number[]> {
  const order: number[] = [];
  for await (const batch of split.batches(options)) {
    for (let i = 0; i < batch.size; i++) {
      const r = batch.categorical[i];
      assert.equal(batch.numeric[i * 2], r);
      assert.equal(batch.numeric[i * 2 + 1], -r);
      assert.equal(batch.label[i], r % 2);
      order.push(r);
    }
  }
  return order;
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('transformed splits on disk', () => {
  const dir = tempDir();
  const rows = 10_007;
  writeSplit(dir, rows);

  it('writes a meta with the layout and fixed-size records', async () => {
    const meta = await readTransformedMeta(dir, 'train');
    assert.equal(meta.rows, rows);
    assert.equal(meta.recordBytes, 16);
    assert.deepEqual(meta.layout, layout);
    assert.equal((await fs.stat(path.join(dir, meta.file))).size, rows * 16);
  });

  it('reads every row in file order without shuffle, in batches of the asked size', async () => {
    const split = await openTransformedSplit(dir, 'train', { blockRows: 512, windowBlocks: 3 });
    const sizes: number[] = [];
    for await (const b of split.batches({ batchSize: 1000 })) sizes.push(b.size);
    assert.deepEqual(sizes, [...Array(10).fill(1000), 7]);
    assert.deepEqual(await rowOrder(split, { batchSize: 1000 }), range(rows));
  });

  it('shuffles every row exactly once per epoch, as a pure function of (seed, epoch)', async () => {
    const split = await openTransformedSplit(dir, 'train', { blockRows: 512, windowBlocks: 3 });
    const a = await rowOrder(split, { batchSize: 256, shuffle: { seed: 7, epoch: 1 } });
    const again = await rowOrder(split, { batchSize: 100, shuffle: { seed: 7, epoch: 1 } });
    const nextEpoch = await rowOrder(split, { batchSize: 256, shuffle: { seed: 7, epoch: 2 } });
    const otherSeed = await rowOrder(split, { batchSize: 256, shuffle: { seed: 8, epoch: 1 } });
    assert.deepEqual(sorted(a), range(rows));
    assert.deepEqual(sorted(nextEpoch), range(rows));
    assert.deepEqual(again, a, 'the batch size does not change the row order');
    assert.notDeepEqual(nextEpoch, a);
    assert.notDeepEqual(otherSeed, a);
    assert.notDeepEqual(a, range(rows));
    // Rows move across blocks: the first window mixes rows from three different blocks.
    assert.equal(new Set(a.slice(0, 1536).map((r) => Math.floor(r / 512))).size, 3);
  });

  it('reads in blocks and holds at most two windows of rows at once', async () => {
    const meta = await readTransformedMeta(dir, 'train');
    const reads: { firstRow: number; rows: number }[] = [];
    let inFlightRows = 0;
    let maxRowsHeld = 0;
    const file = await fs.open(path.join(dir, meta.file), 'r');
    const source: RecordSource = {
      async read(into, firstRow, n) {
        reads.push({ firstRow, rows: n });
        await file.read(into, 0, n * meta.recordBytes, firstRow * meta.recordBytes);
      },
      close: () => file.close(),
    };
    const options = { blockRows: 500, windowBlocks: 2 };
    const split = new TransformedSplitReader(meta, async () => source, options);
    let handedOut = 0;
    for await (const batch of split.batches({ batchSize: 300, shuffle: { seed: 1, epoch: 0 } })) {
      handedOut += batch.size;
      // Rows read so far minus rows handed out is what sits in memory (current window + the next).
      inFlightRows = reads.reduce((n, r) => n + r.rows, 0) - handedOut;
      maxRowsHeld = Math.max(maxRowsHeld, inFlightRows);
    }
    assert.ok(reads.every((r) => r.rows <= 500 && r.firstRow % 500 === 0));
    assert.deepEqual(
      sorted(reads.map((r) => r.firstRow)),
      range(21).map((b) => b * 500),
    );
    assert.ok(maxRowsHeld <= 2 * 2 * 500 + 300, `held ${maxRowsHeld} rows`);
  });

  it('stops cleanly when the consumer breaks off', async () => {
    const split = await openTransformedSplit(dir, 'train', { blockRows: 512, windowBlocks: 1 });
    for await (const batch of split.batches({ batchSize: 10, shuffle: { seed: 3, epoch: 0 } })) {
      assert.equal(batch.size, 10);
      break;
    }
  });

  it('rejects a missing split, a foreign format and a truncated file', async () => {
    await assert.rejects(openTransformedSplit(dir, 'eval'), /no transformed 'eval' split here/);
    const broken = tempDir();
    writeSplit(broken, 100);
    const metaPath = path.join(broken, 'train.json');
    const meta = JSON.parse(await fs.readFile(metaPath, 'utf8'));
    await fs.truncate(path.join(broken, 'train.bin'), 100);
    await assert.rejects(openTransformedSplit(broken, 'train'), /has 100 bytes, not the 1600/);
    await fs.writeFile(metaPath, JSON.stringify({ ...meta, version: 99 }));
    await assert.rejects(openTransformedSplit(broken, 'train'), /mlops-transformed v99 is not mlops-transformed v1/);
  });
});
