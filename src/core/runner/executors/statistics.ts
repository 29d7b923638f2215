import * as path from 'node:path';
import { computeStatistics, writeStatistics } from '../../stats';
import type { StatisticsConfig } from '../../pipeline/config';
import type { Executor } from '../executor';
import { upstreamArtifact } from './upstream';
import { formatCount } from '../../util/format';

export const STATISTICS_FILE = 'statistics.json';

/** Statistics of every split, span and slice of the examples, in one parallel streaming pass. */
export function statisticsExecutor(config: StatisticsConfig): Executor {
  return {
    async fingerprint() {
      return { slices: config.slices, categorical: config.categorical };
    },

    async run(ctx) {
      const examples = upstreamArtifact(ctx, 'ingest', 'examples');
      const stats = await computeStatistics(examples.uri, {
        slices: config.slices,
        categorical: config.categorical,
        signal: ctx.signal,
        onProgress: (p) => ctx.progress(`${formatCount(p.done)} of ${formatCount(p.total)} ${p.unit}`, p.total ? p.done / p.total : undefined),
      });
      const outDir = await ctx.outputDir('statistics');
      await writeStatistics(path.join(outDir, STATISTICS_FILE), stats);
      const splits = stats.datasets.filter((d) => d.span === undefined && d.slice === undefined);
      const spans = stats.datasets.filter((d) => d.span !== undefined).length;
      const features = splits[0]?.features.length ?? 0;
      return {
        outputs: [{ name: 'statistics', type: 'Statistics', path: outDir, managed: true, properties: { datasets: stats.datasets.map((d) => d.name) } }],
        summary: [`${features} features`, ...splits.map((d) => `${d.name} ${formatCount(d.numExamples)}`), spans ? `${spans} spans` : '']
          .filter(Boolean)
          .join(' · '),
      };
    },
  };
}
