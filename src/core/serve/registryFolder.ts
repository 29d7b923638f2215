import * as path from 'node:path';
import { DEFAULT_ALIAS, requireModel } from '../registry/refs';
import type { RunStore } from '../store';
import { UserError } from '../util/problems';

/**
 * Where a registered model is served from: the folder its production version was pushed to, else
 * the folder of its newest pushed version (`pushedTo` is `<folder>/<version>`).
 */
export function servingFolderOf(store: RunStore, model: string): string {
  const record = requireModel(store, model);
  const production = record.aliases[DEFAULT_ALIAS];
  const candidates = [production === undefined ? undefined : store.getModelVersion(model, production), ...store.listModelVersions(model)];
  const pushed = candidates.find((v) => v?.pushedTo);
  if (!pushed?.pushedTo) {
    throw UserError.at(
      `model '${model}' has never been pushed, so there is no serving folder to serve`,
      { file: store.path, field: model },
      `push a version first (\`mlops push <run-id>\` or \`mlops push ${model}@<version>\`), or name a folder with --dir`,
    );
  }
  return path.dirname(pushed.pushedTo);
}
