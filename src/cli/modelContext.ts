import { existsSync } from 'node:fs';
import { loadPipeline } from '../core/pipeline/load';
import type { PipelineConfig } from '../core/pipeline/config';
import type { ResolvedModel } from '../core/registry';
import type { RunStore } from '../core/store';
import { isUserError } from '../core/util/problems';

/**
 * The pipeline file that trained a model, when it still exists and parses: where its evaluate
 * settings, registry model name and push destination come from. Undefined otherwise (the model
 * is then evaluated with defaults, or named with --model).
 */
export async function pipelineOfModel(store: RunStore, model: Pick<ResolvedModel, 'runId'>): Promise<PipelineConfig | undefined> {
  const run = model.runId === undefined ? undefined : store.getRun(model.runId);
  if (!run || !existsSync(run.pipelineFile)) return undefined;
  try {
    return await loadPipeline(run.pipelineFile);
  } catch (e) {
    if (isUserError(e)) return undefined;
    throw e;
  }
}
