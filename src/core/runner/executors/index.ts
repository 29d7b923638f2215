import type { ComponentInfo } from '../../pipeline/components';
import type { PipelineConfig } from '../../pipeline/config';
import type { Executor } from '../executor';
import { evaluateExecutor } from './evaluate';
import { ingestExecutor } from './ingest';
import { pushExecutor } from './push';
import { schemaExecutor } from './schema';
import { statisticsExecutor } from './statistics';
import { stepExecutor } from './step';
import { trainExecutor } from './train';
import { transformExecutor } from './transform';
import { validateExecutor } from './validate';

/** The executor for each kind of component; the runner treats them all alike. */
export function executorFor(component: ComponentInfo, config: PipelineConfig): Executor {
  switch (component.type) {
    case 'ingest':
      return ingestExecutor();
    case 'statistics':
      return statisticsExecutor(config.statistics!);
    case 'schema':
      return schemaExecutor(config.schema!, config.environments);
    case 'validate':
      return validateExecutor(config.validate!, config.environments);
    case 'transform':
      return transformExecutor(config.transform);
    case 'train':
      return trainExecutor(config.train!);
    case 'evaluate':
      return evaluateExecutor(config.evaluate!);
    case 'push':
      return pushExecutor(config.push!);
    case 'step':
      break;
  }
  const step = config.steps.find((s) => s.name === component.name);
  if (!step) throw new Error(`no executor for component '${component.name}'`);
  return stepExecutor(step);
}
