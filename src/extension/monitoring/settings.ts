import { stat } from 'node:fs/promises';
import { loadPipeline } from '../../core/pipeline/load';
import { defaultMonitorConfig } from '../../core/pipeline/monitorSection';
import type { ReadStore } from '../store/open';
import { settingsText } from './collect';

/** The pipeline file whose `monitor:` section applies to a model version: the one its run ran. */
export function pipelineFileOf(store: ReadStore, model: string, version: number): { file: string } | { reason: string } {
  const v = store.getModelVersion(model, version);
  if (!v) return { reason: `${model}@${version} is not in the registry` };
  if (v.runId === null) return { reason: `the run that trained ${model}@${version} was deleted` };
  const run = store.getRun(v.runId);
  return run ? { file: run.pipelineFile } : { reason: `run #${v.runId} is not in the store` };
}

/**
 * The monitor settings of a pipeline file as one line, read again only when the file changed. A
 * pipeline without `monitor:` is monitored with the defaults (`mlops monitor` does the same).
 */
export class MonitorSettingsReader {
  private cached: { file: string; mtime: number; result: { text: string } | { reason: string } } | undefined;

  async read(file: string): Promise<{ text: string } | { reason: string }> {
    const mtime = await stat(file).then(
      (s) => s.mtimeMs,
      () => -1,
    );
    if (mtime < 0) return { reason: `${file} is gone` };
    if (this.cached?.file === file && this.cached.mtime === mtime) return this.cached.result;
    let result: { text: string } | { reason: string };
    try {
      const config = await loadPipeline(file);
      const monitor = config.monitor ?? defaultMonitorConfig({ file });
      result = { text: `${settingsText(monitor)}${config.monitor ? '' : ' (defaults: the pipeline has no monitor section)'}` };
    } catch (e) {
      result = { reason: `${file} does not load: ${e instanceof Error ? e.message.split('\n')[0] : e}` };
    }
    this.cached = { file, mtime, result };
    return result;
  }
}
