import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { formatSchema, inferSchema, writeSchema } from '../../core/schema';
import { computeCsvStatistics } from '../../core/stats';
import { UserError } from '../../core/util/problems';
import { defineCommand, flag, option, repeatable } from '../args';
import { style } from '../style';
import { formatCount } from '../../core/util/format';

/** `mlops schema infer <csv>`: a data schema from a CSV file by TFDV's rules. */
export const schemaInferCommand = defineCommand({
  name: 'schema infer',
  summary: "Infer a data schema from CSV data by TFDV's rules: types, presence, string domains (at most 100 values), int-encoded strings; no ranges.",
  arguments: [{ name: 'csv', description: 'CSV file or glob (each matching file is one span)' }],
  options: [
    option('out', 'FILE', 'write the schema here, e.g. data-schema.json (default: print it)'),
    flag('force', 'overwrite --out if it exists (a curated schema is lost)'),
    repeatable('exclude', 'ENV=FEATURE,...', 'features absent in an environment, e.g. serving=tips; repeatable'),
    repeatable('categorical', 'FEATURE', 'an int feature to treat as categorical; repeatable'),
    repeatable('missing', 'TEXT', 'a cell value meaning missing besides the empty cell, e.g. NA; repeatable'),
    option('delimiter', 'CHAR', 'field delimiter (default ,)'),
  ],
  examples: ['mlops schema infer data/train.csv --out data-schema.json', 'mlops schema infer "data/*.csv" --exclude serving=tips --out data-schema.json'],
  async run({ positionals, options }) {
    const out = options.out;
    if (out && existsSync(out) && !options.force) {
      throw UserError.at(`${out} exists`, { file: path.resolve(out) }, 'a schema is yours to curate once inferred; pass --force to replace it');
    }
    const environments = parseExcludes(options.exclude ?? []);
    const stats = await computeCsvStatistics(positionals.csv, {
      categorical: options.categorical,
      missing: options.missing,
      delimiter: options.delimiter,
    });
    const whole = stats.datasets.find((d) => d.span === undefined && d.slice === undefined) ?? stats.datasets[0];
    const known = new Set(whole.features.map((f) => f.name));
    for (const [env, features] of Object.entries(environments)) {
      for (const f of features)
        if (!known.has(f)) throw UserError.at(`--exclude ${env}=${f}: the data has no column '${f}'`, undefined, `columns: ${[...known].join(', ')}`);
    }
    const schema = inferSchema(whole, { environments });
    if (!out) {
      process.stdout.write(formatSchema(schema));
      return 0;
    }
    await writeSchema(out, schema);
    const n = Object.keys(schema.features).length;
    process.stdout.write(style.green(`✓ ${n} feature${n === 1 ? '' : 's'} from ${formatCount(whole.numExamples)} examples → ${out}`) + '\n');
    return 0;
  },
});

export function parseExcludes(flags: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const flag of flags) {
    const m = /^([^=]+)=(.+)$/.exec(flag);
    if (!m) throw UserError.at(`--exclude '${flag}' is not ENV=FEATURE[,FEATURE...]`, undefined, 'e.g. --exclude serving=tips');
    const features = m[2]
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    out[m[1].trim()] = [...new Set([...(out[m[1].trim()] ?? []), ...features])];
  }
  return out;
}
