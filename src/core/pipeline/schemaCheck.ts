import Ajv from 'ajv';
import schema from '../../../resources/pipeline.schema.json';
import { jsonSchemaProblems } from '../util/jsonSchemaProblems';
import { lazy } from '../util/lazy';
import type { Problem } from '../util/problems';
import type { DocumentPositions } from './positions';

// The same schema VS Code uses for completion and squiggles, so the editor and the engine agree.
const validator = lazy(() => new Ajv({ allErrors: true, allowUnionTypes: true, strict: true, verbose: true }).compile(schema));

export function schemaProblems(value: unknown, positions: DocumentPositions): Problem[] {
  const validate = validator();
  if (validate(value)) return [];
  return jsonSchemaProblems(validate.errors ?? [], positions, {
    schema,
    documentName: 'the pipeline file',
    anyOfMessage: 'expected a name or a list of names',
    listAllowedValues: true,
    unknownKey: (key, path, location) =>
      path.length === 0 && key === 'tune'
        ? {
            severity: 'error',
            location,
            message: '`tune` is part of training: move it under `train:`',
            hint: 'train:\n  tune:\n    strategy: random\n    space: { learning_rate: { log: [0.0001, 0.01] } }',
          }
        : path.length === 0 && key === 'serve'
          ? {
              severity: 'error',
              location,
              message: 'serving is not set in the pipeline file: the server serves whatever version push made production',
              hint: 'set the port and request-log sampling with `mlops serve --port 8501 --sample-rate 0.1`, or in the editor with the mlops.serve.* settings; checks of served traffic go under `monitor:`',
            }
          : undefined,
  });
}
