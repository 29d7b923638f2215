import { promises as fsp } from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import type { DataConfig, FeaturesConfig, Located } from '../pipeline/config';
import { UserError } from '../util/problems';
import { BadRowLog, badRowLimit, isShare, tooManyBadRows } from './badRows';
import { cellConverter, missingTest, type ColumnType, type MissingTest, type Value } from './cells';
import { readCsv, type BadRow, type CsvOptions } from './csv';
import { planColumns, type ColumnPlan } from './derive';
import { ExamplesWriter } from './examples/writer';
import type { ColumnMeta, ExamplesMeta } from './examples/format';
import { finalTypes, widenTypes, type RunningTypes } from './infer';
import { fieldPositions, planSources, type Source, type SourcePlan } from './sources';
import { isEvalRow } from './split';

export const BAD_ROWS_FILE = 'bad_rows.jsonl';

export interface IngestOptions {
  data: DataConfig;
  features: FeaturesConfig;
  label?: Located<string>;
  /** Rows per row group of the examples (default 65,536); tests use small groups. */
  rowGroupRows?: number;
  /**
   * Copies the bad-row list of a failing ingest where it outlives the run's temporary folder, and
   * says where: the error then points at the whole list, not only its first rows.
   */
  keepBadRows?: (file: string) => Promise<string>;
}

export interface IngestProgress {
  /** `infer` reads every file once for column types, `write` reads them again to write the examples. */
  phase: 'infer' | 'write';
  file: string;
  bytesRead: number;
  totalBytes: number;
  /** Rows read so far in this phase. */
  rows: number;
}

export interface IngestSummary {
  splits: { name: string; rows: number; spans: { name: string; file: string; rows: number; badRows: number }[] }[];
  columns: ColumnMeta[];
  badRows: { count: number; first: BadRow[] };
  /** Size of the CSV input (each file is read twice: once for types, once for values). */
  bytesRead: number;
  durationMs: number;
}

const PROGRESS_INTERVAL_MS = 250;

/**
 * The ingest executor: CSV spans in, an examples artifact in `outDir` out (the caller gives a
 * temporary folder and renames it when this resolves). Two streaming passes: types first, because
 * a column's type is only known after its last cell; then values, derived columns and the write.
 */
export async function ingest(options: IngestOptions, outDir: string, onProgress?: (p: IngestProgress) => void): Promise<IngestSummary> {
  const started = performance.now();
  const { data } = options;
  const plan = await planSources(data);
  const totalBytes = plan.sources.reduce((n, s) => n + s.bytes, 0);
  const context: PassContext = {
    csv: { delimiter: data.delimiter, columns: data.columns, trim: true },
    isMissing: missingTest(data.missing),
    progress: throttle(onProgress, totalBytes),
  };
  await fsp.mkdir(outDir, { recursive: true });
  const badRows = new BadRowLog(path.join(outDir, BAD_ROWS_FILE));
  const tooMany = async (totalRows: number | undefined) =>
    tooManyBadRows(badRows, data.maxBadRows, totalRows, data.maxBadRowsLocation ?? data.train.location, await options.keepBadRows?.(badRows.file));
  try {
    const inferred = await inferPass(plan, context, badRows, data, tooMany);
    const rows = [...inferred.files.values()].reduce((n, f) => n + f.rows + f.badRows, 0);
    if (badRows.count > badRowLimit(data.maxBadRows, rows)) throw await tooMany(rows);
    const columns = planColumns(
      inferred.reference.map((name, c) => ({ name, type: inferred.types[c] })),
      options.features,
      options.label,
    );
    const meta = await writePass(
      plan,
      context,
      inferred,
      columns,
      new ExamplesWriter(
        outDir,
        columns.kept.map((i) => columns.all[i]),
        options.rowGroupRows,
      ),
    );
    return {
      splits: meta.splits.map((s) => ({
        name: s.name,
        rows: s.rows,
        spans: s.spans.map((span) => ({ name: span.name, file: span.source, rows: span.rows, badRows: span.badRows })),
      })),
      columns: meta.columns,
      badRows: { count: badRows.count, first: badRows.first },
      bytesRead: totalBytes,
      durationMs: performance.now() - started,
    };
  } finally {
    badRows.close();
  }
}

interface PassContext {
  csv: CsvOptions;
  isMissing: MissingTest;
  progress: Throttle;
}

interface Inferred {
  /** Column names of the first training span, which every other span is held to. */
  reference: readonly string[];
  types: ColumnType[];
  files: Map<Source, { fieldOf: number[]; rows: number; badRows: number; version: string }>;
}

async function inferPass(
  plan: SourcePlan,
  context: PassContext,
  badRows: BadRowLog,
  data: DataConfig,
  tooMany: (totalRows: undefined) => Promise<UserError>,
): Promise<Inferred> {
  let reference: { columns: readonly string[]; file: string } | undefined;
  let types: RunningTypes = [];
  const files: Inferred['files'] = new Map();
  context.progress.start('infer');
  for (const source of plan.sources) {
    const file = { fieldOf: [] as number[], rows: 0, badRows: 0, version: await fileVersion(source.file) };
    for await (const batch of readCsv(source.file, context.csv)) {
      if (!reference) {
        reference = { columns: batch.columns, file: source.file };
        types = new Array(batch.columns.length).fill(undefined);
      }
      if (!files.has(source)) {
        file.fieldOf = fieldPositions(reference.columns, reference.file, source, batch.columns);
        files.set(source, file);
      }
      widenTypes(types, batch.records, file.fieldOf, context.isMissing);
      file.rows += batch.records.length;
      file.badRows += batch.bad.length;
      badRows.add(batch.bad);
      // A count limit can fail before the whole input is read; a share needs the total first.
      if (!isShare(data.maxBadRows) && badRows.count > data.maxBadRows) throw await tooMany(undefined);
      context.progress.update(source, batch.bytesRead, file.rows);
    }
    context.progress.fileDone(source, file.rows);
  }
  context.progress.phaseDone();
  return { reference: reference!.columns, types: finalTypes(types), files };
}

async function writePass(plan: SourcePlan, context: PassContext, inferred: Inferred, columns: ColumnPlan, writer: ExamplesWriter): Promise<ExamplesMeta> {
  try {
    return await writeSources(plan, context, inferred, columns, writer);
  } catch (e) {
    writer.abort();
    throw e;
  }
}

async function writeSources(plan: SourcePlan, context: PassContext, inferred: Inferred, columns: ColumnPlan, writer: ExamplesWriter): Promise<ExamplesMeta> {
  const csvCount = inferred.reference.length;
  const convert = inferred.types.map((type) => cellConverter(type, context.isMissing));
  const { derived, kept } = columns;
  const row: Value[] = new Array(columns.all.length).fill(null);
  const split = plan.hashSplit;
  context.progress.start('write');
  for (const source of plan.sources) {
    const { fieldOf, badRows, version } = inferred.files.get(source)!;
    // Types were inferred from the file as it was; a file still being written could now hold cells that do not fit them.
    if ((await fileVersion(source.file)) !== version) {
      throw UserError.at('the file changed while it was being ingested', { file: source.file }, 'run again once the file is complete');
    }
    const span = { name: source.name, source: source.file, absentColumns: inferred.reference.filter((_, c) => fieldOf[c] < 0) };
    const target = writer.openSpan(source.split, span);
    const evalTarget = split && source.split === 'train' ? writer.openSpan('eval', span) : undefined;
    let rows = 0;
    for await (const batch of readCsv(source.file, context.csv)) {
      for (const record of batch.records) {
        const fields = record.fields;
        for (let c = 0; c < csvCount; c++) {
          const f = fieldOf[c];
          row[c] = f < 0 ? null : convert[c](fields[f]);
        }
        for (let d = 0; d < derived.length; d++) row[csvCount + d] = derived[d](row);
        const toEval = evalTarget !== undefined && isEvalRow(batch.bytes, record.start, record.end, split!.seed, split!.fraction);
        (toEval ? evalTarget : target).append(row, kept);
      }
      rows += batch.records.length;
      context.progress.update(source, batch.bytesRead, rows);
    }
    target.close(badRows);
    evalTarget?.close();
    context.progress.fileDone(source, rows);
  }
  context.progress.phaseDone();
  return writer.finish();
}

async function fileVersion(file: string): Promise<string> {
  const stat = await fsp.stat(file);
  return `${stat.size}:${stat.mtimeMs}`;
}

interface Throttle {
  start(phase: IngestProgress['phase']): void;
  update(source: Source, fileBytesRead: number, fileRows: number): void;
  fileDone(source: Source, fileRows: number): void;
  /** Reports the phase's totals, however recent the last report. */
  phaseDone(): void;
}

/** Progress at most every 250 ms, plus the totals at the end of each phase, so the terminal is not flooded. */
function throttle(onProgress: ((p: IngestProgress) => void) | undefined, totalBytes: number): Throttle {
  let phase: IngestProgress['phase'] = 'infer';
  let file = '';
  let doneBytes = 0;
  let doneRows = 0;
  let last = 0;
  const emit = (bytesRead: number, rows: number) => {
    last = performance.now();
    onProgress?.({ phase, file, bytesRead, totalBytes, rows });
  };
  const due = () => onProgress !== undefined && performance.now() - last >= PROGRESS_INTERVAL_MS;
  return {
    start(next) {
      phase = next;
      doneBytes = 0;
      doneRows = 0;
    },
    update(source, fileBytesRead, fileRows) {
      file = source.file;
      if (due()) emit(doneBytes + fileBytesRead, doneRows + fileRows);
    },
    fileDone(source, fileRows) {
      file = source.file;
      doneBytes += source.bytes;
      doneRows += fileRows;
      if (due()) emit(doneBytes, doneRows);
    },
    phaseDone() {
      emit(doneBytes, doneRows);
    },
  };
}
