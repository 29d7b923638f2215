import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Located } from '../../pipeline/config';
import { inferSchema, loadSchema, writeSchema } from '../../schema';
import { readStatistics } from '../../stats';
import { digestPath } from '../../util/hash';
import type { Executor } from '../executor';
import { STATISTICS_FILE } from './statistics';
import { upstreamArtifact } from './upstream';

/**
 * The data schema: inferred from the training statistics when the file does not exist yet (then
 * it is the user's to curate), else read and checked. Never overwrites a schema the user has.
 */
export function schemaExecutor(file: Located<string>, environments: Record<string, Located<string>[]>): Executor {
  const excluded = Object.fromEntries(Object.entries(environments).map(([env, features]) => [env, features.map((f) => f.value)]));
  return {
    async fingerprint() {
      const existing = await digestPath(file.value).catch(() => undefined);
      return { file: file.value, content: existing?.hash ?? 'infer', environments: excluded };
    },

    async run(ctx) {
      const exists = await fs.stat(file.value).then(
        () => true,
        () => false,
      );
      let summary: string;
      if (exists) {
        const schema = await loadSchema(file.value);
        summary = `${Object.keys(schema.features).length} features · ${path.basename(file.value)}`;
      } else {
        const stats = await readStatistics(path.join(upstreamArtifact(ctx, 'statistics', 'statistics').uri, STATISTICS_FILE));
        const train = stats.datasets.find((d) => d.name === 'train');
        if (!train) throw new Error('schema: the statistics have no train dataset');
        const schema = inferSchema(train, { environments: excluded });
        await fs.mkdir(path.dirname(file.value), { recursive: true });
        await writeSchema(file.value, schema);
        ctx.log(`inferred a schema from the training data: ${file.value} — review it and commit it; later runs check the data against it`);
        summary = `inferred ${Object.keys(schema.features).length} features → ${path.basename(file.value)}`;
      }
      return { outputs: [{ name: 'schema', type: 'Schema', path: file.value, managed: false }], summary };
    },
  };
}
