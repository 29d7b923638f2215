import type { ColumnBatch } from '../data/examples/columns';
import { openExamples, type ExamplesReader } from '../data/examples/reader';
import { UserError } from '../util/problems';
import { mergeFeatures, type FeaturePartial } from './accumulate/feature';
import { finishDataset, sliceName, spanName, type FeaturePlan } from './datasets';
import { InOrder, throwIfAborted } from './ordered';
import { rowGroupPartial, type RowGroupPartial, type RowGroupPlan } from './rowGroup';
import { defaultPoolSize, portableBatch, StatsPool } from './workers';
import { STATISTICS_FORMAT, STATISTICS_VERSION, type DatasetStatistics, type StatisticsFile } from './types';

export interface StatisticsOptions {
  /** Feature lists to slice by, as TFMA slicing specs; `[]` (the overall dataset) is implied. */
  slices?: string[][];
  /** Int features that also get categorical statistics (ids, codes, hours). */
  categorical?: string[];
  onProgress?: (progress: StatisticsProgress) => void;
  signal?: AbortSignal;
  /** Worker threads; 0 computes in-thread. Default: the cores, at most 4, and none for small inputs. */
  workers?: number;
  /** Slices per slicing spec before it is refused as too fine (default 1000). */
  maxSliceValues?: number;
}

export interface StatisticsProgress {
  /** Rows (examples path) or bytes (CSV path) done, of `total`. */
  done: number;
  total: number;
  unit: 'rows' | 'bytes';
  /** Malformed CSV rows skipped so far (CSV path). */
  badRows?: number;
}

/** Below this many rows, starting workers costs more than it saves. */
export const PARALLEL_MIN_ROWS = 150_000;
const DEFAULT_MAX_SLICES = 1000;

interface SliceAcc {
  spec: number;
  values: string[];
  rows: number;
  features: FeaturePartial[];
}

/**
 * Statistics of an examples artifact in one pass: each split, each span of a split, and each slice
 * value of each split. Row groups are summarised independently (in worker threads when the data
 * is large) and merged in file order, so the result does not depend on the number of workers.
 */
export async function computeStatistics(examplesDir: string, options: StatisticsOptions = {}): Promise<StatisticsFile> {
  const reader = await openExamples(examplesDir);
  const plan = checkedPlan(reader, options);
  const features: FeaturePlan[] = reader.columns.map((c) => ({
    name: c.name,
    type: c.type,
    categoricalInt: c.type === 'int' && plan.categorical.includes(c.name),
  }));
  const totalRows = reader.meta.splits.reduce((n, s) => n + s.rows, 0);
  const wanted = options.workers ?? (totalRows >= PARALLEL_MIN_ROWS ? defaultPoolSize() : 0);
  const pool = wanted > 0 ? await StatsPool.start(wanted) : undefined;
  const summarise = (batch: ColumnBatch): Promise<RowGroupPartial> => {
    if (!pool) return Promise.resolve(rowGroupPartial(batch, plan));
    const portable = portableBatch(batch);
    const transfer = [...new Set(portable.columns.map((c) => (c.values ?? c.codes)!.buffer as ArrayBuffer))];
    return pool.run<RowGroupPartial>({ kind: 'rowGroup', batch: portable, plan }, transfer);
  };
  const maxSlices = options.maxSliceValues ?? DEFAULT_MAX_SLICES;
  let done = 0;
  try {
    const datasets: DatasetStatistics[] = [];
    for (const split of reader.meta.splits) {
      let splitAcc: FeaturePartial[] | undefined;
      const slices = new Map<string, SliceAcc>();
      const spanDatasets: DatasetStatistics[] = [];
      for (const span of split.spans) {
        let spanAcc: FeaturePartial[] | undefined;
        let spanRows = 0;
        const ordered = new InOrder<RowGroupPartial>((pool?.size ?? 1) * 2, (partial) => {
          spanAcc = spanAcc ? mergeFeatures(spanAcc, partial.features) : partial.features;
          spanRows += partial.rows;
          for (const s of partial.slices) {
            const acc = slices.get(s.key);
            if (acc) {
              acc.features = mergeFeatures(acc.features, s.features);
              acc.rows += s.rows;
            } else {
              slices.set(s.key, { spec: s.spec, values: s.values, rows: s.rows, features: s.features });
              tooManySlices(slices, s.spec, plan.slices[s.spec], maxSlices);
            }
          }
          done += partial.rows;
          options.onProgress?.({ done, total: totalRows, unit: 'rows' });
        });
        for await (const batch of reader.rowGroups(split.name, span.name)) {
          throwIfAborted(options.signal);
          await ordered.push(summarise(batch));
        }
        await ordered.drain();
        // Finished before its partials are merged into the split's, which reuses them.
        spanDatasets.push(finishDataset({ name: spanName(split.name, span.name), split: split.name, span: span.name }, spanRows, features, spanAcc));
        if (spanAcc) splitAcc = splitAcc ? mergeFeatures(splitAcc, spanAcc) : spanAcc;
      }
      datasets.push(finishDataset({ name: split.name, split: split.name }, split.rows, features, splitAcc));
      datasets.push(...spanDatasets);
      const sliceList = [...slices.values()].sort((a, b) => a.spec - b.spec || compareValues(a.values, b.values));
      for (const s of sliceList) {
        const names = plan.slices[s.spec];
        datasets.push(
          finishDataset(
            { name: sliceName(split.name, names, s.values), split: split.name, slice: names.map((feature, i) => ({ feature, value: s.values[i] })) },
            s.rows,
            features,
            s.features,
          ),
        );
      }
    }
    return { format: STATISTICS_FORMAT, version: STATISTICS_VERSION, datasets };
  } finally {
    await pool?.close();
  }
}

function checkedPlan(reader: ExamplesReader, options: StatisticsOptions): RowGroupPlan {
  const names = reader.columns.map((c) => c.name);
  const known = new Set(names);
  const check = (name: string, what: string) => {
    if (!known.has(name))
      throw UserError.at(`${what} names feature '${name}', which the examples do not have`, { file: reader.dir }, `features: ${names.join(', ')}`);
  };
  const slices = (options.slices ?? []).filter((spec) => spec.length > 0);
  for (const spec of slices) for (const name of spec) check(name, 'a slice');
  for (const name of options.categorical ?? []) check(name, 'the categorical list');
  return { categorical: options.categorical ?? [], slices };
}

function tooManySlices(slices: Map<string, SliceAcc>, spec: number, names: readonly string[], limit: number): void {
  let count = 0;
  for (const s of slices.values()) if (s.spec === spec) count++;
  if (count > limit) {
    throw UserError.at(
      `slicing by ${names.join(' × ')} gives more than ${limit} slices; each slice keeps full statistics of every feature`,
      undefined,
      'slice by features with fewer values (or bucketize a numeric one first)',
    );
  }
}

/** Numbers in numeric order, text in code-point order, so slices list as users expect. */
function compareValues(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    const x = Number(a[i]);
    const y = Number(b[i]);
    if (a[i] !== '' && b[i] !== '' && !Number.isNaN(x) && !Number.isNaN(y)) return x - y;
    return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}
