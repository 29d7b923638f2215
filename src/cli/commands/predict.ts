import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { loadModel } from '../../core/model/package';
import { parseModelRef, resolveModelRef } from '../../core/registry';
import { ExitCode } from '../../core/runner/events';
import { predictionCells, predictionColumns } from '../../core/scoring/predictionsCsv';
import { csvRows } from '../../core/scoring/rows';
import { missingInputs, scoreChunk } from '../../core/scoring/score';
import { csvLine } from '../../core/util/csvText';
import { UserError } from '../../core/util/problems';
import { defineCommand, option } from '../args';
import { openStoreForReading } from '../storePath';
import { style } from '../style';

export const predictCommand = defineCommand({
  name: 'predict',
  summary: 'Score a CSV with a model and its packaged transform (the code path serving uses).',
  arguments: [{ name: 'csv', description: 'rows of raw features (a header row first)' }],
  options: [
    option('model', 'REF', 'a run id, model@version, model@alias or a model name (its production version)'),
    option('out', 'FILE', 'write the predictions here (default: stdout)'),
    option('delimiter', 'CHAR', 'field delimiter of the CSV (default ,)'),
  ],
  examples: ['mlops predict --model taxi@production data/serving.csv --out predictions.csv', 'mlops predict --model 12 rows.csv'],
  async run({ positionals, options }) {
    if (options.model === undefined) throw UserError.at('missing --model: the model to score with, e.g. --model taxi@production or --model 12');
    const file = path.resolve(positionals.csv);
    const store = openStoreForReading(options.store);
    if (!store)
      throw UserError.at('there is no run store here, so no model to predict with', undefined, 'run a pipeline with a train component first, or pass --store');
    let modelDir: string;
    try {
      modelDir = resolveModelRef(store, parseModelRef(options.model)).uri;
    } finally {
      store.close();
    }
    const source = await csvRows(file, { delimiter: options.delimiter });
    const model = await loadModel(modelDir);
    try {
      const missing = missingInputs(model, source.columns, false);
      if (missing.length) {
        throw UserError.at(
          `the model reads ${missing.map((m) => `'${m}'`).join(', ')}, which the CSV does not have`,
          { file },
          `the CSV has: ${source.columns.join(', ')}`,
        );
      }
      const out = options.out !== undefined ? await fs.open(path.resolve(options.out), 'w') : undefined;
      const write = (text: string) => (out ? out.write(text).then(() => undefined) : writeStdout(text));
      let failed = 0;
      try {
        await write(csvLine(['row', ...predictionColumns(model.manifest), 'error']) + '\n');
        for await (const chunk of source.chunks()) {
          const results = await scoreChunk(model, chunk.rows);
          failed += results.filter((r) => r.error).length;
          await write(results.map((r, i) => csvLine([chunk.ids[i], ...predictionCells(model.manifest, r.prediction), r.error]) + '\n').join(''));
        }
      } finally {
        await out?.close();
      }
      for (const bad of source.bad) process.stderr.write(style.yellow(`${file}, row ${bad.row} (line ${bad.line}): ${bad.reason}; not scored`) + '\n');
      if (failed) process.stderr.write(style.yellow(`${failed} rows could not be scored: see the error column`) + '\n');
      return failed || source.bad.length ? ExitCode.error : ExitCode.ok;
    } finally {
      model.dispose();
    }
  },
});

function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(text, (e) => (e ? reject(e) : resolve())));
}
