import Ajv from 'ajv';
import schema from '../../../resources/pipeline.schema.json';
import { jsonSchemaProblems } from '../util/jsonSchemaProblems';
import type { Problem } from '../util/problems';
import type { DocumentPositions } from './positions';

/** Sections of the TFX-style pipeline that later versions run; named so the message can say so. */
const PLANNED_SECTIONS = new Set(['serve']);

// The same schema VS Code uses for completion and squiggles, so the editor and the engine agree.
const validate = new Ajv({ allErrors: true, allowUnionTypes: true, strict: true, verbose: true }).compile(schema);

export function schemaProblems(value: unknown, positions: DocumentPositions): Problem[] {
  if (validate(value)) return [];
  return jsonSchemaProblems(validate.errors ?? [], positions, {
    schema,
    documentName: 'the pipeline file',
    anyOfMessage: 'expected a name or a list of names',
    listAllowedValues: true,
    unknownKey: (key, path, location) =>
      path.length === 0 && key === 'tune'
        ? { severity: 'error', location, message: '`tune` is part of training: move it under `train:`', hint: 'train:\n  tune:\n    strategy: random\n    space: { learning_rate: { log: [0.0001, 0.01] } }' }
        : path.length === 0 && PLANNED_SECTIONS.has(key)
        ? {
            severity: 'error',
            location,
            message: `section '${key}' is not supported yet by this version of MLOps Pipelines`,
            hint: `remove it for now; the sections this version runs are: ${Object.keys(schema.properties).join(', ')}`,
          }
        : undefined,
  });
}
