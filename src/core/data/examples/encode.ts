import type { ColumnType, Value } from '../cells';
import { align8, type ColumnChunk, type Extent, type RowGroupHeader } from './format';

/** Collects one column of one row group and lays it out as the buffers of the format. */
export interface ColumnBuilder {
  push(value: Value): void;
  /** Lays out the buffers from offset `at` and empties the builder for the next row group. */
  flush(rows: number, at: number): ColumnLayout;
}

interface Part {
  at: number;
  bytes: Uint8Array;
}

interface ColumnLayout {
  chunk: ColumnChunk;
  parts: Part[];
  /** Offset after the last buffer, 8-aligned. */
  end: number;
}

export function columnBuilder(type: ColumnType, capacity: number): ColumnBuilder {
  switch (type) {
    case 'int':
    case 'float':
      return new NumberBuilder(capacity);
    case 'bool':
      return new BoolBuilder(capacity);
    case 'string':
      return new StringBuilder(capacity);
  }
}

type BufferRole = 'values' | 'codes' | 'offsets' | 'blob';

abstract class MaskedBuilder {
  protected readonly valid: Uint8Array;
  protected rows = 0;
  protected present = 0;

  constructor(capacity: number) {
    this.valid = new Uint8Array(capacity);
  }

  protected mark(present: boolean): void {
    this.valid[this.rows++] = present ? 1 : 0;
    if (present) this.present++;
  }

  protected layout(rows: number, at: number, buffers: Partial<Record<BufferRole, Uint8Array>>): ColumnLayout {
    const chunk: ColumnChunk = { present: this.present };
    const parts: Part[] = [];
    const add = (bytes: Uint8Array): Extent => {
      const extent: Extent = [at, bytes.byteLength];
      parts.push({ at, bytes });
      at = align8(at + bytes.byteLength);
      return extent;
    };
    if (this.present < rows) chunk.valid = add(this.valid.subarray(0, rows));
    for (const [role, bytes] of Object.entries(buffers)) chunk[role as BufferRole] = add(bytes);
    this.rows = 0;
    this.present = 0;
    return { chunk, parts, end: at };
  }
}

class NumberBuilder extends MaskedBuilder implements ColumnBuilder {
  private readonly values: Float64Array;

  constructor(capacity: number) {
    super(capacity);
    this.values = new Float64Array(capacity);
  }

  push(value: Value): void {
    this.values[this.rows] = value === null ? NaN : (value as number);
    this.mark(value !== null);
  }

  flush(rows: number, at: number) {
    return this.layout(rows, at, { values: bytesOf(this.values.subarray(0, rows)) });
  }
}

class BoolBuilder extends MaskedBuilder implements ColumnBuilder {
  private readonly values: Uint8Array;

  constructor(capacity: number) {
    super(capacity);
    this.values = new Uint8Array(capacity);
  }

  push(value: Value): void {
    this.values[this.rows] = value === true ? 1 : 0;
    this.mark(value !== null);
  }

  flush(rows: number, at: number) {
    return this.layout(rows, at, { values: this.values.subarray(0, rows) });
  }
}

class StringBuilder extends MaskedBuilder implements ColumnBuilder {
  private readonly codes: Int32Array;
  private dictionary = new Map<string, number>();

  constructor(capacity: number) {
    super(capacity);
    this.codes = new Int32Array(capacity);
  }

  push(value: Value): void {
    let code = -1;
    if (value !== null) {
      const text = value as string;
      code = this.dictionary.get(text) ?? -1;
      if (code < 0) {
        code = this.dictionary.size;
        this.dictionary.set(text, code);
      }
    }
    this.codes[this.rows] = code;
    this.mark(value !== null);
  }

  flush(rows: number, at: number) {
    const words = [...this.dictionary.keys()];
    const offsets = new Uint32Array(words.length + 1);
    for (let i = 0; i < words.length; i++) offsets[i + 1] = offsets[i] + Buffer.byteLength(words[i]);
    const blob = Buffer.from(words.join(''));
    this.dictionary = new Map();
    return this.layout(rows, at, { codes: bytesOf(this.codes.subarray(0, rows)), offsets: bytesOf(offsets), blob });
  }
}

function bytesOf(array: Float64Array | Int32Array | Uint32Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** Serialises a row group: header length, header JSON, then every column's buffers 8-aligned. */
export function encodeRowGroup(rows: number, builders: readonly ColumnBuilder[]): Buffer {
  const columns: ColumnChunk[] = [];
  const parts: Part[] = [];
  let size = 0;
  for (const builder of builders) {
    const layout = builder.flush(rows, size);
    columns.push(layout.chunk);
    parts.push(...layout.parts);
    size = layout.end;
  }
  const header: RowGroupHeader = { rows, columns };
  const headerBytes = Buffer.from(JSON.stringify(header));
  const dataStart = align8(4 + headerBytes.length);
  const out = Buffer.alloc(dataStart + size);
  out.writeUInt32LE(headerBytes.length, 0);
  headerBytes.copy(out, 4);
  for (const part of parts) out.set(part.bytes, dataStart + part.at);
  return out;
}
