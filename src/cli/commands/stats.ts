/**
 * `mlops stats <csv or glob>`: dataset statistics straight from CSV, the TFDV figures in one pass.
 *
 * `--json` prints this stable shape (snake_case, flat; fields that do not apply to a feature's
 * type are null, never absent):
 *
 *   {
 *     "datasets": [{
 *       "name": string,                // "train", or "train/<file>" per file of a glob
 *       "numExamples": number,
 *       "features": [{
 *         "name": string,
 *         "type": "int" | "float" | "bool" | "string",
 *         "count": number,             // examples with a value
 *         "missing": number,           // examples without (empty cell or a --missing marker)
 *         "mean": number | null,       // numeric (int, float, bool as 0/1): over finite values
 *         "std_dev": number | null,    //   population standard deviation
 *         "min": number | null,
 *         "median": number | null,     //   from a KLL sketch, rank error < 1%
 *         "max": number | null,
 *         "zeros": number | null,
 *         "num_nan": number | null,
 *         "num_pos_inf": number | null,
 *         "num_neg_inf": number | null,
 *         "unique": number | null,     // categorical (string, bool, --categorical ints)
 *         "unique_exact": boolean | null, // exact below 16384 distinct values, else a KMV estimate (±2%)
 *         "top_values": [{ "value": string, "count": number }] | null,  // up to 20, most frequent first
 *         "avg_length": number | null, //   average UTF-8 bytes
 *         "num_invalid_utf8": number | null
 *       }]
 *     }],
 *     "bad_rows": number               // malformed rows skipped (wrong number of fields, bad quoting)
 *   }
 *
 * `--out FILE` writes the full statistics file (histograms, rank histograms, sketches): the input
 * that comparisons take as previous or serving statistics.
 */
import * as path from 'node:path';
import { computeCsvStatistics, writeStatistics } from '../../core/stats';
import type { DatasetStatistics, FeatureStatistics, StatisticsFile, StatisticsProgress } from '../../core/stats';
import { UserError } from '../../core/util/problems';
import { defineCommand, flag, numberOption, option, repeatable } from '../args';
import { formatBytes, formatCount } from '../../core/util/format';
import { style, table } from '../style';

/** Progress is worth showing from this size on (a second or so of work). */
const PROGRESS_MIN_BYTES = 32e6;

export const statsCommand = defineCommand({
  name: 'stats',
  summary: 'Compute dataset statistics of CSV files (counts, missing, mean, std dev, quantiles, top values, distinct counts).',
  arguments: [{ name: 'csv', description: 'a CSV file or a glob such as data/*.csv (quote it so the shell leaves it alone)' }],
  options: [
    option('out', 'FILE', 'write the full statistics file (for comparisons) to FILE'),
    flag('json', 'print the statistics as JSON (see the field list in the docs)'),
    repeatable('missing', 'V', 'a cell value that means missing, besides the empty cell (repeatable)'),
    option('delimiter', 'C', 'field delimiter (default ,)'),
    repeatable('categorical', 'NAME', 'an int column to give categorical statistics too (repeatable)'),
    option('split', 'NAME', 'dataset name in the output (default train; e.g. serving)'),
    numberOption('max-bad-rows', 'N', 'fail (exit 2) when more rows than this are malformed (default: skip them with a warning)'),
  ],
  examples: ['mlops stats data/train.csv', "mlops stats 'data/spans/*.csv' --missing NA --out stats.json", 'mlops stats adult.csv --missing ? --json'],
  async run({ positionals, options }) {
    const input = positionals.csv;
    const showProgress = Boolean(process.stderr.isTTY) && !options.json;
    let last: StatisticsProgress | undefined;
    const stats = await computeCsvStatistics(input, {
      delimiter: options.delimiter,
      missing: options.missing,
      categorical: options.categorical,
      split: options.split,
      onProgress: (p) => {
        last = p;
        if (showProgress && p.total >= PROGRESS_MIN_BYTES) {
          process.stderr.write(`\r${style.dim(`statistics: ${Math.floor((100 * p.done) / p.total)}% of ${formatBytes(p.total)}`)}`);
        }
      },
    });
    if (showProgress && last && last.total >= PROGRESS_MIN_BYTES) process.stderr.write('\r\x1b[K');
    const badRows = last?.badRows ?? 0;
    if (options.out) await writeStatistics(path.resolve(options.out), stats);
    if (options.json) {
      process.stdout.write(JSON.stringify(statsJson(stats, badRows), null, 2) + '\n');
    } else {
      process.stdout.write(stats.datasets.map(renderDataset).join('\n\n') + '\n');
      if (options.out) process.stderr.write(style.dim(`statistics written to ${options.out}`) + '\n');
    }
    if (badRows === 0) return 0;
    const read = stats.datasets.find((d) => d.span === undefined && d.slice === undefined)?.numExamples ?? 0;
    const skipped = `${badRows} malformed row${badRows === 1 ? '' : 's'} (wrong number of fields or bad quoting) skipped, of ${read + badRows} data rows`;
    const limit = options['max-bad-rows'];
    if (limit !== undefined && badRows > limit) {
      throw UserError.at(
        `${skipped}: more than --max-bad-rows ${limit}`,
        { file: input },
        'fix the rows; `mlops run` lists each bad row by line in bad_rows.jsonl',
      );
    }
    process.stderr.write(style.yellow(`warning: ${skipped}; --max-bad-rows 0 makes this an error`) + '\n');
    return 0;
  },
});

/** The `--json` document (the shape documented at the top of this file). */
export function statsJson(stats: StatisticsFile, badRows: number) {
  return { datasets: stats.datasets.map(datasetJson), bad_rows: badRows };
}

function datasetJson(d: DatasetStatistics) {
  return { name: d.name, numExamples: d.numExamples, features: d.features.map(featureJson) };
}

function featureJson(f: FeatureStatistics) {
  const n = f.numeric;
  const c = f.categorical;
  return {
    name: f.name,
    type: f.type,
    count: f.numPresent,
    missing: f.numMissing,
    mean: n ? n.mean : null,
    std_dev: n ? n.stdDev : null,
    min: n ? n.min : null,
    median: n ? n.median : null,
    max: n ? n.max : null,
    zeros: n ? n.numZeros : null,
    num_nan: n ? n.numNan : null,
    num_pos_inf: n ? n.numPosInf : null,
    num_neg_inf: n ? n.numNegInf : null,
    unique: c ? c.unique : null,
    unique_exact: c ? c.uniqueExact : null,
    top_values: c ? c.topValues : null,
    avg_length: c ? c.avgLength : null,
    num_invalid_utf8: c ? c.numInvalidUtf8 : null,
  };
}

export function renderDataset(d: DatasetStatistics): string {
  const lines = [style.bold(`${d.name}: ${formatCount(d.numExamples)} examples`)];
  const numeric = d.features.filter((f) => f.numeric);
  const categorical = d.features.filter((f) => f.categorical);
  if (numeric.length > 0) {
    lines.push(
      '',
      table(
        ['NUMERIC', 'TYPE', 'COUNT', 'MISSING', 'MEAN', 'STD_DEV', 'MIN', 'MEDIAN', 'MAX', 'ZEROS'],
        numeric.map((f) => {
          const n = f.numeric!;
          const empty = f.numPresent === 0;
          const num = (v: number) => (empty ? '-' : figure(v));
          return [
            f.name,
            f.type,
            formatCount(f.numPresent),
            missing(f),
            num(n.mean),
            num(n.stdDev),
            num(n.min),
            num(n.median),
            num(n.max),
            formatCount(n.numZeros),
          ];
        }),
      ),
    );
    const odd = numeric.filter((f) => f.numeric!.numNan + f.numeric!.numPosInf + f.numeric!.numNegInf > 0);
    for (const f of odd)
      lines.push(style.dim(`  ${f.name}: ${f.numeric!.numNan} NaN, ${f.numeric!.numPosInf} +inf, ${f.numeric!.numNegInf} -inf (not in the moments)`));
  }
  if (categorical.length > 0) {
    lines.push(
      '',
      table(
        ['CATEGORICAL', 'TYPE', 'COUNT', 'MISSING', 'UNIQUE', 'TOP', 'FREQ', 'AVG_LENGTH'],
        categorical.map((f) => {
          const c = f.categorical!;
          const top = c.topValues[0];
          return [
            f.name,
            f.type,
            formatCount(f.numPresent),
            missing(f),
            (c.uniqueExact ? '' : '~') + formatCount(c.unique),
            top ? clip(top.value) : '-',
            top ? formatCount(top.count) : '-',
            figure(c.avgLength),
          ];
        }),
      ),
    );
  }
  return lines.join('\n');
}

function missing(f: FeatureStatistics): string {
  const total = f.numPresent + f.numMissing;
  if (f.numMissing === 0 || total === 0) return '0';
  return `${formatCount(f.numMissing)} (${((100 * f.numMissing) / total).toFixed(1)}%)`;
}

/** Six significant digits, no exponent for ordinary magnitudes: a table, not a dump. */
function figure(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) >= 1e12 || Math.abs(v) < 1e-4)) return v.toExponential(3);
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(6)));
}

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > 32 ? `${oneLine.slice(0, 31)}…` : oneLine;
}
