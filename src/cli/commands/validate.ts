import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { dataProblems } from '../../core/data/preview';
import { parsePipeline } from '../../core/pipeline/load';
import { ExitCode } from '../../core/runner/events';
import { formatProblem, UserError } from '../../core/util/problems';
import { defineCommand, flag } from '../args';
import { style } from '../style';

export const validateCommand = defineCommand({
  name: 'validate',
  summary: "Check a pipeline file without running it: syntax, schema, components, and column names against the data's first rows.",
  arguments: [{ name: 'pipeline', description: 'pipeline file (*.pipeline.yaml, .yml or .json)' }],
  options: [flag('json', 'print the problems as JSON')],
  async run({ positionals, options }) {
    const file = path.resolve(positionals.pipeline);
    const text = await fs.readFile(file, 'utf8').catch(() => {
      throw UserError.at('pipeline file not found', { file });
    });
    const parsed = parsePipeline(text, file);
    if (parsed.config) parsed.problems.push(...(await dataProblems(parsed.config)));
    if (options.json) {
      process.stdout.write(JSON.stringify({ pipeline: parsed.name ?? null, components: parsed.components, problems: parsed.problems }, null, 2) + '\n');
    } else if (parsed.problems.length === 0) {
      process.stdout.write(style.green(`✓ ${parsed.name}: ${parsed.components.map((c) => c.name).join(' → ')}`) + '\n');
    } else {
      process.stderr.write(parsed.problems.map(formatProblem).join('\n') + '\n');
    }
    return parsed.problems.some((p) => p.severity === 'error') ? ExitCode.error : ExitCode.ok;
  },
});
