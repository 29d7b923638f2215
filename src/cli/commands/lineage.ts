import * as path from 'node:path';
import { lineageSubject, LINEAGE_SUBJECT_FORMS } from '../../core/lineage/subject';
import type { LineageDirection } from '../../core/store/types';
import { UserError } from '../../core/util/problems';
import { defineCommand, flag, numberOption, option } from '../args';
import { renderLineage } from '../report/lineage';
import { openStoreForReading } from '../storePath';
import { print } from '../style';

const DIRECTIONS: LineageDirection[] = ['up', 'down', 'both'];

export const lineageCommand = defineCommand({
  name: 'lineage',
  summary: 'Show where a run, a file or a model version came from, and what was built from it.',
  arguments: [{ name: 'subject', description: LINEAGE_SUBJECT_FORMS }],
  options: [
    option('direction', 'WAY', 'up (where it came from), down (what was built from it) or both (default)'),
    numberOption('depth', 'N', 'at most N executions away from the subject (default 50)'),
    numberOption('max-nodes', 'N', 'stop after about N nodes (default 400); the output says when it was cut'),
    flag('json', 'print the graph as JSON: { subjects, direction, nodes, edges, truncated }'),
  ],
  examples: ['mlops lineage taxi@production --direction up', 'mlops lineage data/train.csv --direction down', 'mlops lineage 12 --json'],
  async run({ positionals, options }) {
    const direction = (options.direction ?? 'both') as LineageDirection;
    if (!DIRECTIONS.includes(direction)) throw UserError.at(`unknown direction '${options.direction}'`, undefined, `use one of: ${DIRECTIONS.join(', ')}`);
    for (const [name, value] of [
      ['depth', options.depth],
      ['max-nodes', options['max-nodes']],
    ] as const) {
      if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw UserError.at(`--${name} must be a whole number of at least 1`);
    }
    const store = openStoreForReading(options.store);
    if (!store) throw UserError.at('there is no run store here yet', undefined, 'run a pipeline first (mlops run <pipeline file>), or point --store at one');
    try {
      const subject = lineageSubject(store, positionals.subject, process.cwd());
      const graph = store.lineage({ subject, direction, depth: options.depth, maxNodes: options['max-nodes'] });
      print(options.json ? JSON.stringify(graph, null, 2) : renderLineage(graph, positionals.subject, (uri) => displayPath(uri)));
      return 0;
    } finally {
      store.close();
    }
  },
});

/** Relative to where the command runs when inside it, as people typed them. */
function displayPath(uri: string): string {
  if (!path.isAbsolute(uri)) return uri;
  const relative = path.relative(process.cwd(), uri);
  return relative && !relative.startsWith('..') ? relative : uri;
}
