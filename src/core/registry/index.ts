export * from './types';
export { executorRegistry } from './executorRegistry';
export { rollbackTarget } from './history';
export { checkAliasName, checkModelName, isAliasName, isModelName } from './names';
export { ALIASES_FILE, defaultDestination, promoteModel, pushModel, rollbackModel, syncServingFolders, type RollbackOptions } from './push';
export {
  baselineVersion,
  DEFAULT_ALIAS,
  newVersionFromRun,
  parseModelRef,
  requireModel,
  requireVersion,
  resolveModelRef,
  versionLabel,
  type ResolvedModel,
} from './refs';
