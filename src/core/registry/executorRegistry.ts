import type { ExecutorRegistry } from '../runner/executor';
import type { RunStore } from '../store';
import { pushModel } from './push';
import { baselineVersion } from './refs';

/** The registry as components see it (evaluate's baseline, push), backed by the run store. */
export function executorRegistry(store: RunStore): ExecutorRegistry {
  return {
    baseline: (model) => baselineVersion(store, model),
    push: (request) => pushModel(store, request),
  };
}
