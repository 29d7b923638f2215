import { requireModel } from '../../core/registry';
import type { ModelVersionRecord } from '../../core/registry/types';
import { formatMetric, formatTimestamp, shortHash } from '../../core/util/format';
import { defineCommand, flag } from '../args';
import { openStoreForReading } from '../storePath';
import { print, style, table } from '../style';

export const modelsListCommand = defineCommand({
  name: 'models list',
  summary: 'List registered models with their latest version and aliases.',
  arguments: [],
  options: [flag('json', 'print the models as JSON')],
  examples: ['mlops models list', 'mlops models list --json'],
  async run({ options }) {
    const store = openStoreForReading(options.store);
    try {
      const models = store?.listModels() ?? [];
      if (options.json) print(JSON.stringify(models, null, 2));
      else if (models.length === 0) print('no models yet: a pipeline with a push section registers one, or `mlops push <run-id>`');
      else {
        print(
          table(
            ['MODEL', 'VERSIONS', 'LATEST', 'ALIASES', 'CREATED'],
            models.map((m) => [m.name, String(m.versionCount), String(m.latestVersion), aliasText(m.aliases), formatTimestamp(m.createdAt)]),
          ),
        );
      }
      return 0;
    } finally {
      store?.close();
    }
  },
});

export const modelsShowCommand = defineCommand({
  name: 'models show',
  summary: "Show a model's versions (blessing, metrics, run, where pushed) and the history of its aliases.",
  arguments: [{ name: 'model', description: 'the registry model name' }],
  options: [flag('json', 'print { model, versions, history } as JSON')],
  examples: ['mlops models show taxi', 'mlops models show taxi --json'],
  async run({ positionals, options }) {
    const store = openStoreForReading(options.store);
    if (!store) {
      print('no models yet: a pipeline with a push section registers one, or `mlops push <run-id>`');
      return 0;
    }
    try {
      const model = requireModel(store, positionals.model);
      const versions = store.listModelVersions(model.name);
      const history = store.aliasHistory(model.name);
      if (options.json) {
        print(JSON.stringify({ model, versions, history }, null, 2));
        return 0;
      }
      print(style.bold(model.name) + style.dim(` · ${versions.length} versions · ${aliasText(model.aliases)}`));
      print(
        table(
          ['VERSION', 'ALIASES', 'BLESSING', 'METRICS', 'RUN', 'WEIGHTS', 'CREATED'],
          versions.map((v) => [
            String(v.version),
            v.aliases.join(', '),
            blessingText(v),
            metricsText(v.metrics),
            v.runId === null ? '—' : `#${v.runId}`,
            shortHash(v.weightsHash),
            formatTimestamp(v.createdAt),
          ]),
        ),
      );
      if (history.length) {
        print('\n' + style.bold('Alias history'));
        print(
          table(
            ['WHEN', 'ALIAS', 'CHANGE', 'REASON'],
            history.map((h) => [
              formatTimestamp(h.at),
              h.alias,
              `${h.fromVersion ?? '—'} → ${h.toVersion ?? '—'}`,
              h.reason + (h.forced ? style.yellow(' (forced)') : ''),
            ]),
          ),
        );
      }
      return 0;
    } finally {
      store.close();
    }
  },
});

function aliasText(aliases: Record<string, number>): string {
  const entries = Object.entries(aliases);
  return entries.length ? entries.map(([alias, version]) => `${alias}→${version}`).join(', ') : 'no aliases';
}

function blessingText(v: ModelVersionRecord): string {
  const verdict = v.blessed === true ? style.green('blessed') : v.blessed === false ? style.red('not blessed') : style.dim('not evaluated');
  return v.forced ? `${verdict} ${style.yellow('(forced)')}` : verdict;
}

const HEADLINE = ['auc', 'accuracy', 'rmse', 'val_auc', 'val_accuracy', 'val_rmse'];

function metricsText(metrics: Record<string, number>): string {
  return HEADLINE.filter((m) => m in metrics)
    .slice(0, 2)
    .map((m) => `${m} ${formatMetric(metrics[m])}`)
    .join(', ');
}
