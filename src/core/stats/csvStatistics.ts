import { closeSync, openSync, readSync } from 'fs';
import * as path from 'path';
import { widen, type ColumnType } from '../data/cells';
import { scanRecords } from '../data/csvScan';
import { resolveSpans, type SpanFile } from '../data/spans';
import { UserError } from '../util/problems';
import { mergeCategorical } from './accumulate/categorical';
import { mergeFeature, type FeaturePartial } from './accumulate/feature';
import type { BlockColumns } from './csv/block';
import { runCsvBlock, type CsvBlockResult, type CsvBlockTask } from './csv/blockTask';
import { finishDataset, spanName, type FeaturePlan } from './datasets';
import type { StatisticsProgress } from './examplesStatistics';
import { InOrder, throwIfAborted } from './ordered';
import { defaultPoolSize, StatsPool } from './workers';
import { STATISTICS_FORMAT, STATISTICS_VERSION, type DatasetStatistics, type StatisticsFile } from './types';

export interface CsvStatisticsOptions {
  /** One ASCII character; default `,`. */
  delimiter?: string;
  /** Cells that mean "missing" besides the empty cell (`NA`, `?`). */
  missing?: string[];
  /** Int columns that also get categorical statistics. */
  categorical?: string[];
  /** The dataset's split name (default `train`); with several files each is also a span dataset. */
  split?: string;
  /** Drop spaces around unquoted fields, as the ingest does (default true). */
  trim?: boolean;
  onProgress?: (progress: StatisticsProgress) => void;
  signal?: AbortSignal;
  /** Worker threads; 0 computes in-thread. Default: the cores, at most 4, none for files under 16 MB. */
  workers?: number;
  /** Bytes per block (default 4 MiB); tests use small blocks. */
  blockBytes?: number;
}

const DEFAULT_BLOCK = 4 << 20;
const PARALLEL_MIN_BYTES = 16e6;

interface FileJob {
  span: SpanFile;
  header: string[];
  dataStart: number;
  columns: BlockColumns;
  delimiter: number;
  trim: boolean;
}

interface FileAcc {
  rows: number;
  badRows: number;
  features: FeaturePartial[];
  /** The byte ranges of the file's blocks, in order. */
  ranges: BlockRange[];
  /** Per column: blocks (indexes into `ranges`) where it was typed int, float or bool, re-read as text if it ends up a string. */
  nonText: number[][];
}

type BlockRange = Pick<CsvBlockTask, 'start' | 'end' | 'seek'>;

/**
 * Statistics straight from CSV files, one pass: each file is cut into fixed blocks, blocks are
 * summarised (in worker threads for large inputs) with types inferred per block, and partials
 * merge in file order. Types widen across blocks as in the ingest (int → float, any other mix →
 * string); when a column ends up text, only the blocks where it looked numeric are read again, for
 * that column's text counts. Memory: a few blocks and the sketches, whatever the file size.
 */
export async function computeCsvStatistics(fileOrGlob: string, options: CsvStatisticsOptions = {}): Promise<StatisticsFile> {
  const split = options.split ?? 'train';
  const spans = await resolveSpans({ value: fileOrGlob, location: { file: fileOrGlob } }, 'input');
  const delimiter = delimiterByte(options.delimiter ?? ',');
  const trim = options.trim ?? true;
  const missing = (options.missing ?? []).filter((m) => m.length > 0).map((m) => Buffer.from(m));
  const jobs: FileJob[] = [];
  for (const span of spans) {
    const header = readHeader(span, delimiter, trim);
    const reference = jobs[0]?.header ?? header.names;
    const fieldOf = fieldsFor(reference, header.names, span.file, jobs[0]?.span.file);
    const categorical = new Set(options.categorical ?? []);
    const categoricalInt = reference.map((name) => categorical.has(name));
    jobs.push({
      span,
      header: header.names,
      dataStart: header.dataStart,
      delimiter,
      trim,
      columns: { fieldOf, fields: header.names.length, categoricalInt, forceString: reference.map(() => false), missing },
    });
  }
  const reference = jobs[0].header;
  for (const name of options.categorical ?? []) {
    if (!reference.includes(name))
      throw UserError.at(
        `the categorical list names column '${name}', which the data does not have`,
        { file: spans[0].file },
        `columns: ${reference.join(', ')}`,
      );
  }
  const totalBytes = spans.reduce((n, s) => n + s.bytes, 0);
  const blockBytes = options.blockBytes ?? DEFAULT_BLOCK;
  const wanted = options.workers ?? (totalBytes >= PARALLEL_MIN_BYTES ? defaultPoolSize() : 0);
  const pool = wanted > 0 ? await StatsPool.start(wanted) : undefined;
  const run = (task: CsvBlockTask): Promise<CsvBlockResult> =>
    pool ? pool.run<CsvBlockResult>({ kind: 'csvBlock', task }) : Promise.resolve(runCsvBlock(task));
  const progress = { done: 0, badRows: 0 };
  const report = (bytes: number, badRows: number) => {
    progress.done += bytes;
    progress.badRows += badRows;
    options.onProgress?.({ done: Math.min(progress.done, totalBytes), total: totalBytes, unit: 'bytes', badRows: progress.badRows });
  };
  try {
    const files: FileAcc[] = [];
    for (const job of jobs) files.push(await summariseFile(job, blockBytes, run, pool?.size ?? 1, options.signal, report));
    const types = reference.map((_, c) => files.reduce<ColumnType | undefined>((t, f) => widenType(t, f.features[c].type), undefined));
    // Text columns that looked numeric in some blocks: those blocks again, for the text counts only.
    const text = types.map((t) => t === 'string');
    for (const [i, job] of jobs.entries()) {
      const redo = new Set(files[i].nonText.flatMap((blocks, c) => (text[c] ? blocks : [])));
      if (redo.size === 0) continue;
      const columns: BlockColumns = { ...job.columns, forceString: text };
      for (const block of [...redo].sort((a, b) => a - b)) {
        throwIfAborted(options.signal);
        const again = await run({ ...blockTask(job, blockBytes, 0, columns), ...files[i].ranges[block] });
        files[i].nonText.forEach((blocks, c) => {
          if (!text[c] || !blocks.includes(block)) return;
          const acc = files[i].features[c];
          acc.categorical = acc.categorical ? mergeCategorical(acc.categorical, again.features[c].categorical!) : again.features[c].categorical;
        });
      }
    }
    // The last report is authoritative (a file re-read block after block was counted twice before).
    options.onProgress?.({ done: totalBytes, total: totalBytes, unit: 'bytes', badRows: files.reduce((n, f) => n + f.badRows, 0) });
    const plan: FeaturePlan[] = reference.map((name, c) => ({ name, type: types[c] ?? 'string', categoricalInt: jobs[0].columns.categoricalInt[c] }));
    const spanDatasets: DatasetStatistics[] = [];
    let total: FeaturePartial[] | undefined;
    let rows = 0;
    files.forEach((f, i) => {
      if (jobs.length > 1)
        spanDatasets.push(finishDataset({ name: spanName(split, jobs[i].span.name), split, span: jobs[i].span.name }, f.rows, plan, f.features));
      total = total ? total.map((acc, c) => mergeFeature(acc, f.features[c])) : f.features;
      rows += f.rows;
    });
    return { format: STATISTICS_FORMAT, version: STATISTICS_VERSION, datasets: [finishDataset({ name: split, split }, rows, plan, total), ...spanDatasets] };
  } finally {
    await pool?.close();
  }
}

function widenType(a: ColumnType | undefined, b: ColumnType | undefined): ColumnType | undefined {
  return a === undefined ? b : b === undefined ? a : widen(a, b);
}

function blockTask(job: FileJob, blockBytes: number, index: number, columns = job.columns): CsvBlockTask {
  const size = job.span.bytes;
  return {
    file: job.span.file,
    fileSize: size,
    start: index === 0 ? job.dataStart : index * blockBytes,
    end: Math.min(size, (index + 1) * blockBytes),
    seek: index > 0,
    settings: { delimiter: job.delimiter, trim: job.trim, fields: job.header.length },
    columns,
  };
}

async function summariseFile(
  job: FileJob,
  blockBytes: number,
  run: (task: CsvBlockTask) => Promise<CsvBlockResult>,
  workers: number,
  signal: AbortSignal | undefined,
  report: (bytes: number, badRows: number) => void,
): Promise<FileAcc> {
  const blocks = Math.max(1, Math.ceil(job.span.bytes / blockBytes));
  const acc: FileAcc = { rows: 0, badRows: 0, features: [], ranges: [], nonText: job.columns.fieldOf.map(() => []) };
  let expectedStart = job.dataStart;
  let aligned = true;
  let index = 0;
  const ordered = new InOrder<CsvBlockResult>(workers * 2, (result) => {
    if (result.startedAt !== expectedStart) aligned = false;
    expectedStart = result.endedAt;
    const { start, end, seek } = blockTask(job, blockBytes, index++);
    add(acc, result, { start, end, seek });
    report(result.endedAt - result.startedAt, result.badRows);
  });
  for (let i = 0; i < blocks; i++) {
    throwIfAborted(signal);
    await ordered.push(run(blockTask(job, blockBytes, i)));
  }
  await ordered.drain();
  if (aligned && expectedStart >= job.span.bytes) return acc;
  return sequentially(job, blockBytes, signal);
}

/**
 * A quoted field with a line break crossed a block boundary, so a block started mid-record: read
 * the file again with each block starting exactly where the previous one stopped.
 */
async function sequentially(job: FileJob, blockBytes: number, signal: AbortSignal | undefined): Promise<FileAcc> {
  const acc: FileAcc = { rows: 0, badRows: 0, features: [], ranges: [], nonText: job.columns.fieldOf.map(() => []) };
  let start = job.dataStart;
  while (start < job.span.bytes) {
    throwIfAborted(signal);
    const range = { start, end: Math.min(job.span.bytes, start + blockBytes), seek: false };
    const result = runCsvBlock({ ...blockTask(job, blockBytes, 0), ...range });
    add(acc, result, range);
    start = result.endedAt;
  }
  return acc;
}

function add(acc: FileAcc, result: CsvBlockResult, range: BlockRange): void {
  const index = acc.ranges.push(range) - 1;
  acc.rows += result.rows;
  acc.badRows += result.badRows;
  result.features.forEach((f, c) => {
    if (f.type !== undefined && f.type !== 'string') acc.nonText[c].push(index);
  });
  acc.features = acc.features.length === 0 ? result.features : acc.features.map((f, c) => mergeFeature(f, result.features[c]));
}

/** The header record, read with the ingest's scanner so names and errors match `mlops run`. */
function readHeader(span: SpanFile, delimiter: number, trim: boolean): { names: string[]; dataStart: number } {
  if (span.bytes === 0) throw UserError.at('the file is empty (0 bytes): no header row and no data rows', { file: span.file });
  const fd = openSync(span.file, 'r');
  try {
    for (let length = 64 * 1024; ; length *= 4) {
      const bytes = Buffer.alloc(Math.min(length, span.bytes));
      const read = readSync(fd, bytes, 0, bytes.length, 0);
      const final = read >= span.bytes;
      const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
      const { records } = scanRecords(bytes.subarray(bom, read), final, { delimiter, trim }, 1);
      if (records.length === 0) {
        if (final) throw UserError.at('the file has only blank lines: no header row and no data rows', { file: span.file });
        continue;
      }
      const header = records[0];
      if (header.problem) throw UserError.at(`the header row is malformed: ${header.problem}`, { file: span.file, line: header.line, row: 0 });
      checkNames(header.fields, span.file);
      let dataStart = bom + header.end;
      if (bytes[dataStart] === 0x0d) dataStart++;
      if (bytes[dataStart] === 0x0a) dataStart++;
      return { names: header.fields, dataStart };
    }
  } finally {
    closeSync(fd);
  }
}

function checkNames(names: readonly string[], file: string): void {
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (name.trim().length === 0)
      throw UserError.at(`the header row has an empty column name (column ${i + 1})`, { file, line: 1 }, 'give every column a name');
    if (seen.has(name)) throw UserError.at(`the header row names column '${name}' twice`, { file, line: 1 }, 'column names must be unique');
    seen.add(name);
  });
}

/** Later files may order columns differently or lack some; they may not add any. */
function fieldsFor(reference: readonly string[], header: readonly string[], file: string, referenceFile: string | undefined): number[] {
  // By name through maps: a file can have 100,000 columns, and a scan per column would be quadratic.
  const known = new Set(reference);
  const extra = header.filter((name) => !known.has(name));
  if (extra.length > 0) {
    throw UserError.at(
      `the columns differ from ${path.basename(referenceFile ?? '')}: this file also has ${extra.map((n) => `'${n}'`).join(', ')}`,
      { file, line: 1 },
      'every file of a glob must have the same header (a file may leave columns out)',
    );
  }
  const position = new Map(header.map((name, i) => [name, i]));
  return reference.map((name) => position.get(name) ?? -1);
}

function delimiterByte(delimiter: string): number {
  const code = delimiter.charCodeAt(0);
  if (delimiter.length !== 1 || code > 0x7f || code === 0x22 || code === 0x0a || code === 0x0d) {
    throw UserError.at(`the delimiter must be one ASCII character other than a quote or line break, not ${JSON.stringify(delimiter)}`, undefined);
  }
  return code;
}
