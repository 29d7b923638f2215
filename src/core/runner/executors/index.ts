import type { ComponentInfo } from '../../pipeline/components';
import type { PipelineConfig } from '../../pipeline/config';
import type { Executor } from '../executor';
import { ingestExecutor } from './ingest';
import { stepExecutor } from './step';

/** The executor for each kind of component; the runner treats them all alike. */
export function executorFor(component: ComponentInfo, config: PipelineConfig): Executor {
  if (component.name === 'ingest') return ingestExecutor();
  const step = config.steps.find((s) => s.name === component.name);
  if (!step) throw new Error(`no executor for component '${component.name}'`);
  return stepExecutor(step);
}
