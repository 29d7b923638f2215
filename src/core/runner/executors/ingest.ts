import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { BAD_ROWS_FILE, ingest, type IngestSummary } from '../../data/ingest';
import { planSources } from '../../data/sources';
import type { PipelineConfig } from '../../pipeline/config';
import type { MetricPoint } from '../../store/types';
import { digestPath } from '../../util/hash';
import type { Executor } from '../executor';
import { formatCount } from '../../util/format';

/** Reads the CSV spans into the examples artifact that every later component reads. */
export function ingestExecutor(): Executor {
  return {
    async fingerprint({ config }) {
      const { sources } = await planSources(config.data);
      const files = await Promise.all(sources.map(async (s) => [s.split, s.name, (await digestPath(s.file)).hash]));
      return { settings: ingestSettings(config), files };
    },

    async run(ctx) {
      const { config, signal } = ctx;
      const { sources } = await planSources(config.data);
      const outDir = await ctx.outputDir('examples');
      // A failed run's checkpoint folder stays until the run is deleted: the bad-row list of a failed ingest goes there.
      const keepBadRows = async (file: string) => {
        const kept = path.join(await ctx.checkpointDir(), BAD_ROWS_FILE);
        await fs.copyFile(file, kept);
        return kept;
      };
      const summary = await ingest({ data: config.data, features: config.features, label: config.label, keepBadRows }, outDir, (p) => {
        // Checked on every progress report, so Ctrl+C stops a long read within moments.
        if (signal.aborted) throw signal.reason;
        const pass = p.phase === 'infer' ? 'reading types' : 'writing examples';
        const fraction = (p.bytesRead + (p.phase === 'write' ? p.totalBytes : 0)) / (2 * p.totalBytes || 1);
        ctx.progress(`${pass} · ${relative(config, p.file)} · ${formatCount(p.rows)} rows`, fraction);
      });
      for (const bad of summary.badRows.first) ctx.log(`bad row: ${relative(config, bad.file)}:${bad.line} (row ${bad.row}): ${bad.reason}`);
      if (summary.badRows.count > summary.badRows.first.length)
        ctx.log(`… ${summary.badRows.count - summary.badRows.first.length} more bad rows in bad_rows.jsonl`);
      return {
        outputs: [{ name: 'examples', type: 'Examples', path: outDir, managed: true, properties: examplesProperties(summary) }],
        externalInputs: sources.map((s) => ({ name: `${s.split}/${s.name}`, type: 'DataFile', path: s.file })),
        metrics: ingestMetrics(summary),
        summary: describe(summary),
      };
    },
  };
}

/** The settings that shape the examples; locations are left out so moving a line reuses the cache. */
function ingestSettings(config: PipelineConfig) {
  const d = config.data;
  return {
    eval: 'split' in d.eval ? d.eval.split : 'files',
    missing: d.missing,
    delimiter: d.delimiter,
    columns: d.columns,
    maxBadRows: d.maxBadRows,
    derive: config.features.derive.map((x) => [x.name, x.expression.value]),
    exclude: config.features.exclude.map((x) => x.value),
    label: config.label?.value,
  };
}

function examplesProperties(s: IngestSummary): Record<string, unknown> {
  return {
    splits: Object.fromEntries(s.splits.map((x) => [x.name, { rows: x.rows, spans: x.spans.length }])),
    columns: s.columns.map((c) => ({ name: c.name, type: c.type })),
    badRows: s.badRows.count,
  };
}

function ingestMetrics(s: IngestSummary): MetricPoint[] {
  const now = Date.now();
  return [
    ...s.splits.map((x) => ({ key: `examples.${x.name}`, value: x.rows, timestamp: now })),
    { key: 'bad_rows', value: s.badRows.count, timestamp: now },
    { key: 'columns', value: s.columns.length, timestamp: now },
  ];
}

function describe(s: IngestSummary): string {
  const splits = s.splits.map((x) => `${x.name} ${formatCount(x.rows)} rows${x.spans.length > 1 ? ` (${x.spans.length} spans)` : ''}`);
  return [...splits, `${s.columns.length} columns`, `${formatCount(s.badRows.count)} bad row${s.badRows.count === 1 ? '' : 's'}`].join(' · ');
}

function relative(config: PipelineConfig, file: string): string {
  return file.startsWith(config.dir + '/') ? file.slice(config.dir.length + 1) : file;
}
