import { closeSync, openSync, readSync } from 'fs';
import type { FeaturePartial } from '../accumulate/feature';
import { blockFeatures, type BlockColumns } from './block';
import { recordStartAfter, scanFields, type FieldTable, type ScanSettings } from './records';

/**
 * One block of a CSV file: the records that start in [start, end). Blocks sit at fixed byte offsets,
 * so every run (any number of workers, or none) cuts a file the same way and gets the same figures.
 * A block after the first starts after the first line break at or after `start - 1` (`seek`); the
 * caller checks that each block starts where the previous one stopped, which fails only when a quoted
 * field holds a line break across a block boundary, and then rereads the file block after block.
 */
export interface CsvBlockTask {
  file: string;
  fileSize: number;
  start: number;
  end: number;
  seek: boolean;
  settings: ScanSettings;
  columns: BlockColumns;
}

export interface CsvBlockResult {
  /** Byte offsets where the block's first record starts and where its scan stopped. */
  startedAt: number;
  endedAt: number;
  rows: number;
  badRows: number;
  features: FeaturePartial[];
}

const FIRST_OVERFLOW = 1 << 20;

let reusable: FieldTable | undefined;
let readBuffer = Buffer.alloc(0);

export function runCsvBlock(task: CsvBlockTask): CsvBlockResult {
  const fd = openSync(task.file, 'r');
  try {
    // The last record may run past `end`: read a little further, more if one is longer still.
    for (let overflow = FIRST_OVERFLOW; ; overflow *= 4) {
      const readStart = task.seek ? Math.max(0, task.start - 1) : task.start;
      const readEnd = Math.min(task.fileSize, task.end + overflow);
      const bytes = readFully(fd, readStart, readEnd - readStart);
      const final = readEnd === task.fileSize;
      const from = task.seek ? recordStartAfter(bytes, task.start - readStart) : 0;
      if (from >= bytes.length && !final) continue;
      // The field table and read buffer are kept between blocks: a thread reuses a few MB rather
      // than making that much garbage per block (which showed up as peak RSS with several workers).
      const table = (reusable = scanFields(bytes, from, task.end - readStart, final, task.settings, reusable));
      if (table.incomplete) continue;
      return {
        startedAt: readStart + from,
        endedAt: readStart + table.stoppedAt,
        rows: table.rows,
        badRows: table.badRows,
        features: blockFeatures(bytes, table, task.columns),
      };
    }
  } finally {
    closeSync(fd);
  }
}

function readFully(fd: number, position: number, length: number): Buffer {
  if (readBuffer.length < length) readBuffer = Buffer.allocUnsafeSlow(Math.max(length, readBuffer.length * 2));
  const bytes = readBuffer.subarray(0, length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, bytes, done, length - done, position + done);
    if (n === 0) return bytes.subarray(0, done);
    done += n;
  }
  return bytes;
}
