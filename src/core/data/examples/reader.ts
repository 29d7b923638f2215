import { isAscii } from 'buffer';
import { promises as fsp } from 'fs';
import * as path from 'path';
import { UserError } from '../../util/problems';
import { BoolColumn, ColumnBatch, concatBatches, NumberColumn, StringColumn, type ColumnView } from './columns';
import { align8, EXAMPLES_FORMAT, EXAMPLES_VERSION, META_FILE } from './format';
import type { ColumnChunk, ColumnMeta, ExamplesMeta, Extent, RowGroupHeader, SplitMeta } from './format';

export async function openExamples(dir: string): Promise<ExamplesReader> {
  const file = path.join(dir, META_FILE);
  let meta: ExamplesMeta;
  try {
    meta = JSON.parse(await fsp.readFile(file, 'utf8')) as ExamplesMeta;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw UserError.at('no examples artifact here (meta.json is missing)', { file: dir });
    throw e;
  }
  if (meta.format !== EXAMPLES_FORMAT || meta.version !== EXAMPLES_VERSION) {
    throw UserError.at(
      `examples format ${meta.format} v${meta.version} is not ${EXAMPLES_FORMAT} v${EXAMPLES_VERSION}`,
      { file },
      'run the ingest again to rewrite the examples',
    );
  }
  return new ExamplesReader(dir, meta);
}

export class ExamplesReader {
  /** Shared all-ones mask for columns with nothing missing, so they cost no allocation. */
  private readonly allValid: Uint8Array;

  constructor(
    readonly dir: string,
    readonly meta: ExamplesMeta,
  ) {
    this.allValid = new Uint8Array(meta.rowGroupRows).fill(1);
  }

  get columns(): readonly ColumnMeta[] {
    return this.meta.columns;
  }

  split(name: string): SplitMeta {
    const split = this.meta.splits.find((s) => s.name === name);
    if (!split) throw new Error(`no split '${name}' in ${this.dir} (splits: ${this.meta.splits.map((s) => s.name).join(', ')})`);
    return split;
  }

  /** Row groups of a split (or of one span of it), in file order, each read with one read call. */
  async *rowGroups(split: string, span?: string): AsyncGenerator<ColumnBatch> {
    const spans = this.split(split).spans.filter((s) => span === undefined || s.name === span);
    if (spans.length === 0 && span !== undefined) throw new Error(`no span '${span}' in split '${split}' of ${this.dir}`);
    for (const spanMeta of spans) {
      const handle = await fsp.open(path.join(this.dir, spanMeta.file), 'r');
      try {
        for (const group of spanMeta.rowGroups) {
          // A fresh ArrayBuffer (not a pooled Buffer) starts 8-aligned, so Float64 views need no copy.
          const bytes = new Uint8Array(new ArrayBuffer(group.length));
          const { bytesRead } = await handle.read(bytes, 0, group.length, group.offset);
          if (bytesRead !== group.length) {
            throw UserError.at('the examples file is shorter than meta.json says', { file: path.join(this.dir, spanMeta.file) }, 'run the ingest again');
          }
          yield decodeRowGroup(bytes, this.meta.columns, this.allValid, spanMeta.name);
        }
      } finally {
        await handle.close();
      }
    }
  }

  /** A whole split (or span) in memory, for small data and tests. */
  async readColumns(split: string, span?: string): Promise<ColumnBatch> {
    const batches: ColumnBatch[] = [];
    for await (const batch of this.rowGroups(split, span)) batches.push(batch);
    return concatBatches(batches, this.meta.columns, span);
  }
}

function decodeRowGroup(bytes: Uint8Array, columns: readonly ColumnMeta[], allValid: Uint8Array, span: string): ColumnBatch {
  const buffer = bytes.buffer;
  const headerLength = new DataView(buffer, bytes.byteOffset).getUint32(0, true);
  const header = JSON.parse(Buffer.from(buffer, bytes.byteOffset + 4, headerLength).toString('utf8')) as RowGroupHeader;
  const base = bytes.byteOffset + align8(4 + headerLength);
  const rows = header.rows;
  const u8 = ([at, length]: Extent) => new Uint8Array(buffer, base + at, length);
  const views = columns.map((meta, c): ColumnView => {
    const chunk: ColumnChunk = header.columns[c];
    const valid = chunk.valid ? u8(chunk.valid) : allValid.subarray(0, rows);
    switch (meta.type) {
      case 'int':
      case 'float':
        return new NumberColumn(meta.name, meta.type, new Float64Array(buffer, base + chunk.values![0], rows), valid);
      case 'bool':
        return new BoolColumn(meta.name, u8(chunk.values!), valid);
      case 'string': {
        const codes = new Int32Array(buffer, base + chunk.codes![0], rows);
        const offsets = new Uint32Array(buffer, base + chunk.offsets![0], chunk.offsets![1] / 4);
        return new StringColumn(meta.name, codes, decodeDictionary(Buffer.from(buffer, base + chunk.blob![0], chunk.blob![1]), offsets), valid);
      }
    }
  });
  return new ColumnBatch(rows, views, span);
}

function decodeDictionary(blob: Buffer, offsets: Uint32Array): string[] {
  const words = new Array<string>(offsets.length - 1);
  if (isAscii(blob)) {
    const text = blob.toString('latin1');
    for (let i = 0; i < words.length; i++) words[i] = text.slice(offsets[i], offsets[i + 1]);
  } else {
    for (let i = 0; i < words.length; i++) words[i] = blob.toString('utf8', offsets[i], offsets[i + 1]);
  }
  return words;
}
