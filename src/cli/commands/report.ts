import { mkdir, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { DEFAULT_ALIAS } from '../../core/registry';
import { UserError } from '../../core/util/problems';
import { defineCommand, option } from '../args';
import { openStoreForReading } from '../storePath';
import { print } from '../style';
import { buildRunReport, type ReportInputs } from '../runReport/build';
import { chartSpecs, renderSvg } from '../runReport/charts';
import { collectReport } from '../runReport/collect';
import { renderMarkdown } from '../runReport/markdown';
import type { RunReport } from '../runReport/types';

const FORMATS = ['markdown', 'json'] as const;

export const reportCommand = defineCommand({
  name: 'report',
  summary:
    "A run's report for a pull request: data validation, metrics against production with arrows, blessing checks, slice and fairness regressions, charts.",
  arguments: [{ name: 'run', description: 'the run id, or `latest` for the newest run' }],
  options: [
    option('against', 'REF', `compare with this version: an alias of the run's model (default ${DEFAULT_ALIAS}), or model@alias / model@version`),
    option('format', 'FORMAT', 'markdown (default) or json (the documented shape)'),
    option('out', 'FILE', 'write the report to FILE and its SVG charts beside it (report.md: report-charts/); default: stdout, no charts'),
    option('charts-link', 'URL', 'in the markdown, link the charts to URL (where CI uploaded them) instead of embedding images'),
  ],
  examples: ['mlops report 12', 'mlops report latest --out mlops-report/report.md', 'mlops report 12 --against taxi@staging --format json'],
  async run({ positionals, options }) {
    const format = options.format ?? 'markdown';
    if (!FORMATS.includes(format as (typeof FORMATS)[number])) throw UserError.at(`--format ${format}: use one of ${FORMATS.join(', ')}`);
    const inputs = await collectFromStore(options.store, positionals.run, options.against);
    const report = buildRunReport(inputs);
    if (options.out === undefined) {
      print(format === 'json' ? JSON.stringify(report, null, 2) : renderMarkdown(report, { root: process.cwd() }).trimEnd());
      return 0;
    }
    const out = path.resolve(options.out);
    await mkdir(path.dirname(out), { recursive: true });
    report.charts = await writeCharts(report, inputs.evaluation, out);
    await writeFile(
      out,
      format === 'json' ? JSON.stringify(report, null, 2) + '\n' : renderMarkdown(report, { chartsLink: options['charts-link'], root: process.cwd() }),
    );
    print(
      `wrote ${path.relative(process.cwd(), out) || out}${report.charts.length ? ` and ${report.charts.length} chart${report.charts.length > 1 ? 's' : ''}` : ''}`,
    );
    return 0;
  },
});

async function collectFromStore(storeOption: unknown, run: string, against: string | undefined): Promise<ReportInputs> {
  const store = openStoreForReading(storeOption);
  if (!store) throw UserError.at('there is no run store here, so no run to report on', undefined, 'run a pipeline first, or pass --store');
  try {
    const newest = () => store.listRuns({ limit: 1, offset: 0, sort: 'startedAt', order: 'desc' }).runs[0]?.id;
    return await collectReport(store, runIdOf(run, newest), against);
  } finally {
    store.close();
  }
}

function runIdOf(text: string, newest: () => number | undefined): number {
  if (text === 'latest') {
    const latest = newest();
    if (latest === undefined) throw UserError.at('there are no runs in this store yet', undefined, 'run a pipeline first: mlops run <pipeline file>');
    return latest;
  }
  const id = Number(text.replace(/^#/, ''));
  if (!Number.isInteger(id) || id <= 0)
    throw UserError.at(`'${text}' is not a run id`, undefined, 'run ids are the numbers `mlops runs list` shows; or `latest`');
  return id;
}

/** `report.md` → `report-charts/<name>.svg`, replaced as a whole so no stale chart of an earlier report stays. */
async function writeCharts(report: RunReport, evaluation: ReportInputs['evaluation'], out: string): Promise<RunReport['charts']> {
  const dir = `${out.replace(/\.[^./\\]*$/, '')}-charts`;
  await rm(dir, { recursive: true, force: true });
  const specs = chartSpecs(report, evaluation);
  if (!specs.length) return [];
  await mkdir(dir, { recursive: true });
  const charts: RunReport['charts'] = [];
  for (const c of specs) {
    const file = path.join(dir, `${c.name}.svg`);
    await writeFile(file, await renderSvg(c.spec));
    charts.push({ name: c.name, title: c.title, file: path.relative(path.dirname(out), file).split(path.sep).join('/') });
  }
  return charts;
}
