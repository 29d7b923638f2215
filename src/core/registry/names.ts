import { UserError } from '../util/problems';

/**
 * Model and alias names follow the pipeline schema's `push.model` and `push.alias` patterns. A model
 * name becomes a folder (`serving/<model>`), so it never starts with a dot; an alias starts with a
 * letter, so `taxi@3` always means a version and `taxi@production` an alias.
 */
const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const ALIAS_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

export function isModelName(name: string): boolean {
  return MODEL_NAME.test(name);
}

export function isAliasName(alias: string): boolean {
  return ALIAS_NAME.test(alias);
}

export function checkModelName(name: string): void {
  if (!isModelName(name)) {
    throw UserError.at(`'${name}' is not a valid model name`, undefined, 'use letters, digits, _, . and -, starting with a letter or digit');
  }
}

export function checkAliasName(alias: string): void {
  if (!isAliasName(alias)) {
    throw UserError.at(`'${alias}' is not a valid alias`, undefined, 'use letters, digits, _ and -, starting with a letter (e.g. production, staging)');
  }
}

/** "the models are a, b and c", "there are no models yet": what a user can type instead. */
function listing(what: string, names: readonly string[]): string {
  if (!names.length) return `there are no ${what} yet`;
  const shown = names.length > 20 ? [...names.slice(0, 20), `… (${names.length - 20} more)`] : names;
  return `the ${what} are ${shown.join(', ')}`;
}

export function unknownModelError(name: string, models: readonly string[]): UserError {
  return UserError.at(
    `there is no model '${name}' in the registry`,
    undefined,
    `${listing('models', models)}; a run's model is registered by pushing it (\`mlops push <run-id>\`)`,
  );
}

export function unknownVersionError(model: string, version: number, versions: readonly number[]): UserError {
  return UserError.at(`model '${model}' has no version ${version}`, undefined, listing(`versions of ${model}`, versions.map(String)));
}

export function unknownAliasError(model: string, alias: string, aliases: Readonly<Record<string, number>>): UserError {
  const known = Object.entries(aliases).map(([name, version]) => `${name} (version ${version})`);
  return UserError.at(`model '${model}' has no alias '${alias}'`, undefined, listing(`aliases of ${model}`, known));
}
