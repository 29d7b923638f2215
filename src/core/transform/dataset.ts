import { closeSync, openSync, promises as fsp, writeFileSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { deriveSeed, mulberry32, shuffleInPlace } from '../util/random';
import { UserError } from '../util/problems';
import type { FeatureLayout, TransformedBatch, TransformedSplit } from './types';

/**
 * Transformed examples on disk: per split, `<split>.json` (TransformedSplitMeta) and `<split>.bin`,
 * a flat sequence of fixed-size row records
 *
 *   numeric f32 × N | categorical i32 × K | label f32        (little-endian, 4 × (N + K + 1) bytes)
 *
 * Fixed-size records make any row range one read at a computable offset, which is what lets the
 * trainer shuffle 5,000,000 rows with bounded memory: blocks of rows in a permuted order, rows
 * shuffled within a window of blocks. Typed-array views read the records in place, so the format
 * assumes a little-endian machine (every platform Node ships for).
 */
export const TRANSFORMED_FORMAT = 'mlops-transformed';
export const TRANSFORMED_VERSION = 1;

export interface TransformedSplitMeta {
  format: typeof TRANSFORMED_FORMAT;
  version: number;
  split: string;
  rows: number;
  layout: FeatureLayout;
  /** The records file, relative to the folder. */
  file: string;
  /** 4 × (numeric + categorical + 1). */
  recordBytes: number;
}

/** How the reader walks the file; the defaults hold at most 2 × 65,536 rows in memory. */
export interface BlockOptions {
  /** Rows per read (and the unit whose order is permuted). */
  blockRows: number;
  /** Blocks whose rows are shuffled together. */
  windowBlocks: number;
}

export const DEFAULT_BLOCK_OPTIONS: BlockOptions = { blockRows: 8192, windowBlocks: 8 };

/** Reads row records into a caller's buffer; the file-backed one is the default, tests wrap it. */
export interface RecordSource {
  read(into: Uint8Array, firstRow: number, rows: number): Promise<void>;
  close(): Promise<void>;
}

const metaFile = (split: string) => `${split}.json`;
const recordsFile = (split: string) => `${split}.bin`;
const recordWords = (layout: FeatureLayout) => layout.numeric.length + layout.categorical.length + 1;

/**
 * Writes one split. Synchronous writes, once per batch of thousands of rows, like the examples
 * writer: the caller's per-row loop stays plain calls.
 */
export class TransformedSplitWriter {
  private readonly fd: number;
  private readonly words: number;
  private rows = 0;
  private offset = 0;

  constructor(
    readonly dir: string,
    readonly split: string,
    readonly layout: FeatureLayout,
  ) {
    this.fd = openSync(path.join(dir, recordsFile(split)), 'w');
    this.words = recordWords(layout);
  }

  /** Appends `batch.size` rows (numeric and categorical row-major, as the row transform writes them). */
  write(batch: TransformedBatch): void {
    const n = this.layout.numeric.length;
    const k = this.layout.categorical.length;
    const w = this.words;
    const records = new ArrayBuffer(batch.size * w * 4);
    const f32 = new Float32Array(records);
    const i32 = new Int32Array(records);
    for (let r = 0; r < batch.size; r++) {
      const at = r * w;
      for (let j = 0; j < n; j++) f32[at + j] = batch.numeric[r * n + j];
      for (let j = 0; j < k; j++) i32[at + n + j] = batch.categorical[r * k + j];
      f32[at + n + k] = batch.label[r];
    }
    const bytes = new Uint8Array(records);
    writeSync(this.fd, bytes, 0, bytes.length, this.offset);
    this.offset += bytes.length;
    this.rows += batch.size;
  }

  finish(): TransformedSplitMeta {
    closeSync(this.fd);
    const meta: TransformedSplitMeta = {
      format: TRANSFORMED_FORMAT,
      version: TRANSFORMED_VERSION,
      split: this.split,
      rows: this.rows,
      layout: this.layout,
      file: recordsFile(this.split),
      recordBytes: this.words * 4,
    };
    writeFileSync(path.join(this.dir, metaFile(this.split)), JSON.stringify(meta, null, 1));
    return meta;
  }

  /** Closes the file after a failure; the caller discards the folder. */
  abort(): void {
    closeSync(this.fd);
  }
}

export async function readTransformedMeta(dir: string, split: string): Promise<TransformedSplitMeta> {
  const file = path.join(dir, metaFile(split));
  let meta: TransformedSplitMeta;
  try {
    meta = JSON.parse(await fsp.readFile(file, 'utf8')) as TransformedSplitMeta;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw UserError.at(`no transformed '${split}' split here (${metaFile(split)} is missing)`, { file: dir }, 'run the transform again');
    }
    throw e;
  }
  if (meta.format !== TRANSFORMED_FORMAT || meta.version !== TRANSFORMED_VERSION) {
    throw UserError.at(
      `transformed examples format ${meta.format} v${meta.version} is not ${TRANSFORMED_FORMAT} v${TRANSFORMED_VERSION}`,
      { file },
      'run the transform again to rewrite them',
    );
  }
  return meta;
}

export async function openTransformedSplit(dir: string, split: string, options: BlockOptions = DEFAULT_BLOCK_OPTIONS): Promise<TransformedSplit> {
  const meta = await readTransformedMeta(dir, split);
  const file = path.join(dir, meta.file);
  const size = (await fsp.stat(file).catch(() => undefined))?.size;
  if (size !== meta.rows * meta.recordBytes) {
    throw UserError.at(
      `the transformed examples file has ${size ?? 0} bytes, not the ${meta.rows * meta.recordBytes} its meta says`,
      { file },
      'run the transform again',
    );
  }
  return new TransformedSplitReader(meta, () => fileRecordSource(file, meta.recordBytes), options);
}

async function fileRecordSource(file: string, recordBytes: number): Promise<RecordSource> {
  const handle = await fsp.open(file, 'r');
  return {
    async read(into, firstRow, rows) {
      const length = rows * recordBytes;
      const { bytesRead } = await handle.read(into, 0, length, firstRow * recordBytes);
      if (bytesRead !== length) throw UserError.at('the transformed examples file is shorter than its meta says', { file }, 'run the transform again');
    },
    close: () => handle.close(),
  };
}

/**
 * Streams a split in batches. With `shuffle`, the block order is a permutation drawn from
 * (seed, epoch) and rows are shuffled within each window of `windowBlocks` blocks; the next window
 * is read while the current one is handed out, so memory holds two windows at most.
 */
export class TransformedSplitReader implements TransformedSplit {
  readonly rows: number;
  readonly layout: FeatureLayout;

  constructor(
    readonly meta: TransformedSplitMeta,
    private readonly openSource: () => Promise<RecordSource>,
    private readonly options: BlockOptions = DEFAULT_BLOCK_OPTIONS,
  ) {
    this.rows = meta.rows;
    this.layout = meta.layout;
  }

  async *batches(options: { batchSize: number; shuffle?: { seed: number; epoch: number } }): AsyncGenerator<TransformedBatch> {
    const { batchSize, shuffle } = options;
    if (!(batchSize >= 1)) throw new Error(`batchSize must be at least 1, got ${batchSize}`);
    const { blockRows, windowBlocks } = this.options;
    const random = shuffle ? mulberry32(deriveSeed(shuffle.seed, shuffle.epoch)) : undefined;
    const blockOrder = Array.from({ length: Math.ceil(this.rows / blockRows) }, (_, b) => b);
    if (random) shuffleInPlace(blockOrder, random);
    const windows: number[][] = [];
    for (let at = 0; at < blockOrder.length; at += windowBlocks) windows.push(blockOrder.slice(at, at + windowBlocks));

    const source = await this.openSource();
    const pending = new Map<number, Promise<Window>>();
    const load = (w: number) => {
      if (w < windows.length && !pending.has(w)) pending.set(w, this.readWindow(source, windows[w]));
    };
    const assembler = new BatchAssembler(this.layout, batchSize);
    try {
      for (let w = 0; w < windows.length; w++) {
        load(w);
        const window = await pending.get(w)!;
        pending.delete(w);
        load(w + 1);
        const order = Uint32Array.from({ length: window.rows }, (_, i) => i);
        if (random) shuffleInPlace(order, random);
        for (const r of order) {
          const batch = assembler.add(window, r);
          if (batch) yield batch;
        }
      }
      const last = assembler.flush();
      if (last) yield last;
    } finally {
      // A read started ahead must settle before the file closes under it.
      await Promise.allSettled(pending.values());
      await source.close();
    }
  }

  private async readWindow(source: RecordSource, blocks: readonly number[]): Promise<Window> {
    const { blockRows } = this.options;
    const recordBytes = this.meta.recordBytes;
    const counts = blocks.map((b) => Math.min(blockRows, this.rows - b * blockRows));
    const rows = counts.reduce((a, b) => a + b, 0);
    const buffer = new ArrayBuffer(rows * recordBytes);
    let at = 0;
    for (let i = 0; i < blocks.length; i++) {
      await source.read(new Uint8Array(buffer, at * recordBytes, counts[i] * recordBytes), blocks[i] * blockRows, counts[i]);
      at += counts[i];
    }
    return { rows, f32: new Float32Array(buffer), i32: new Int32Array(buffer) };
  }
}

interface Window {
  rows: number;
  f32: Float32Array;
  i32: Int32Array;
}

/** Copies records into row-major batch arrays and hands out each batch when it is full. */
class BatchAssembler {
  private readonly n: number;
  private readonly k: number;
  private batch: TransformedBatch;
  private filled = 0;

  constructor(
    layout: FeatureLayout,
    private readonly batchSize: number,
  ) {
    this.n = layout.numeric.length;
    this.k = layout.categorical.length;
    this.batch = this.fresh();
  }

  add(window: Window, row: number): TransformedBatch | undefined {
    const { n, k } = this;
    const at = row * (n + k + 1);
    const { numeric, categorical, label } = this.batch;
    const r = this.filled;
    for (let j = 0; j < n; j++) numeric[r * n + j] = window.f32[at + j];
    for (let j = 0; j < k; j++) categorical[r * k + j] = window.i32[at + n + j];
    label[r] = window.f32[at + n + k];
    if (++this.filled < this.batchSize) return undefined;
    const full = this.batch;
    this.batch = this.fresh();
    this.filled = 0;
    return full;
  }

  /** The last, partial batch (trimmed to its rows), if any rows are left. */
  flush(): TransformedBatch | undefined {
    const size = this.filled;
    if (size === 0) return undefined;
    const { numeric, categorical, label } = this.batch;
    return { size, numeric: numeric.slice(0, size * this.n), categorical: categorical.slice(0, size * this.k), label: label.slice(0, size) };
  }

  private fresh(): TransformedBatch {
    const size = this.batchSize;
    return { size, numeric: new Float32Array(size * this.n), categorical: new Int32Array(size * this.k), label: new Float32Array(size) };
  }
}
