import * as path from 'node:path';
import { registryModelName } from '../../core/pipeline/analysisSections';
import { DEFAULT_ALIAS, newVersionFromRun, parseModelRef, pushModel, requireModel, rollbackModel, resolveModelRef } from '../../core/registry';
import type { PushRequest } from '../../core/registry';
import type { RunStore } from '../../core/store';
import { UserError } from '../../core/util/problems';
import { defineCommand, flag, numberOption, option } from '../args';
import { pipelineOfModel } from '../modelContext';
import { openStoreForWriting } from '../storePath';
import { print, style } from '../style';

export const pushCommand = defineCommand({
  name: 'push',
  summary: 'Push a model to production (or another alias): register it, copy it to the serving folder, move the alias.',
  arguments: [{ name: 'model', description: 'a run id (its model becomes a new version) or model@version' }],
  options: [
    option('alias', 'ALIAS', `the alias to point at it (default ${DEFAULT_ALIAS})`),
    flag('force', 'push a model that is not blessed (or never evaluated); recorded in the history'),
    option('model', 'NAME', "registry model name for a run's model (default: the pipeline's push.model, else its name)"),
    option('destination', 'DIR', "serving folder; the version lands in DIR/<version>/ (default: the pipeline's push.destination, else .mlops/serving/<model>)"),
    option('reason', 'TEXT', 'why, for the alias history'),
    flag('json', 'print the outcome as JSON'),
  ],
  examples: ['mlops push 12', 'mlops push taxi@3 --alias staging', 'mlops push 14 --force --reason "hotfix, evaluation pending"'],
  async run({ positionals, options }) {
    const ref = parseModelRef(positionals.model);
    const alias = options.alias ?? DEFAULT_ALIAS;
    const { store } = openStoreForWriting(options.store);
    try {
      const request = await pushRequest(store, ref, options, alias);
      const outcome = await pushModel(store, request);
      const { version, previous, pushedTo } = outcome;
      if (options.json) print(JSON.stringify(outcome, null, 2));
      else {
        const from = previous === null ? `(${alias} was not set)` : previous === version.version ? '(unchanged)' : `(was version ${previous})`;
        print(`${style.bold(`${version.model}@${version.version}`)} → ${alias} ${from}${outcome.registered ? ', newly registered' : ''}`);
        print(style.dim(`copied to ${pushedTo}`));
        if (version.blessed !== true) print(style.yellow(`forced: the model is ${version.blessed === false ? 'not blessed' : 'not evaluated'}`));
      }
      return 0;
    } finally {
      store.close();
    }
  },
});

async function pushRequest(
  store: RunStore,
  ref: ReturnType<typeof parseModelRef>,
  options: { force?: boolean; destination?: string; reason?: string; model?: string },
  alias: string,
): Promise<PushRequest> {
  const force = options.force === true;
  const destination = options.destination !== undefined ? path.resolve(options.destination) : undefined;
  if (ref.kind !== 'run') {
    const resolved = resolveModelRef(store, ref);
    return {
      target: { kind: 'existing', model: resolved.model!, version: resolved.version! },
      alias,
      destination,
      force,
      reason: options.reason ?? `mlops push ${resolved.model}@${resolved.version}${force ? ' --force' : ''}`,
    };
  }
  const resolved = resolveModelRef(store, ref);
  const pipeline = await pipelineOfModel(store, resolved);
  const model = options.model ?? (pipeline ? registryModelName(pipeline) : store.getRun(ref.runId)!.pipelineName);
  return {
    target: { kind: 'new', version: newVersionFromRun(store, ref.runId, model) },
    alias,
    destination: destination ?? pipeline?.push?.destination,
    force,
    reason: options.reason ?? `mlops push ${ref.runId}${force ? ' --force' : ''}`,
  };
}

export const rollbackCommand = defineCommand({
  name: 'rollback',
  summary: 'Point production (or another alias) back at an earlier version: by default the one before the current one.',
  arguments: [{ name: 'model', description: 'the registry model name' }],
  options: [
    numberOption('to', 'VERSION', 'go back to this version'),
    option('alias', 'ALIAS', `the alias to move (default ${DEFAULT_ALIAS})`),
    option('reason', 'TEXT', 'why, for the alias history'),
    flag('json', 'print the alias change as JSON'),
  ],
  examples: ['mlops rollback taxi', 'mlops rollback taxi --to 3 --reason "v5 drifts on weekends"'],
  async run({ positionals, options }) {
    const model = positionals.model;
    const to = options.to;
    if (to !== undefined && (!Number.isInteger(to) || to <= 0))
      throw UserError.at(`--to ${to} is not a version number`, undefined, 'versions are 1, 2, 3, ... (see `mlops models show`)');
    const { store } = openStoreForWriting(options.store);
    try {
      requireModel(store, model);
      const change = await rollbackModel(store, model, {
        alias: options.alias,
        to: to,
        reason: options.reason,
      });
      if (options.json) print(JSON.stringify(change, null, 2));
      else print(`${style.bold(`${model}@${change.alias}`)}: version ${change.fromVersion} → ${change.toVersion}`);
      return 0;
    } finally {
      store.close();
    }
  },
});
