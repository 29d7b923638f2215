import Ajv, { type ErrorObject } from 'ajv';
import schema from '../../../resources/pipeline.schema.json';
import { closest } from '../util/closest';
import type { Problem } from '../util/problems';
import type { DocPath, DocumentPositions } from './positions';

/** Sections of the TFX-style pipeline that later versions run; named so the message can say so. */
const PLANNED_SECTIONS = new Set([
  'statistics', 'schema', 'environments', 'validate', 'transform', 'train', 'tune', 'evaluate', 'push', 'serve', 'monitor',
]);

// The same schema VS Code uses for completion and squiggles, so the editor and the engine agree.
const validate = new Ajv({ allErrors: true, allowUnionTypes: true, strict: true, verbose: true }).compile(schema);

export function schemaProblems(value: unknown, positions: DocumentPositions): Problem[] {
  if (validate(value)) return [];
  const errors = collapseAlternatives(validate.errors ?? []);
  return errors.map((e) => toProblem(e, positions));
}

/** `anyOf` reports one error per failed branch and then its own: keep only the summary. */
function collapseAlternatives(errors: ErrorObject[]): ErrorObject[] {
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  return errors.filter((e) => e.keyword === 'anyOf' || !anyOfPaths.has(e.instancePath));
}

function toProblem(e: ErrorObject, positions: DocumentPositions): Problem {
  const path = pointerToPath(e.instancePath);
  const where = path.length ? path.join('.') : 'the pipeline file';
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const location = positions.locate([...path, key], { key: true });
      if (path.length === 0 && PLANNED_SECTIONS.has(key)) {
        return {
          severity: 'error',
          location,
          message: `section '${key}' is not supported yet by this version of MLOps Pipelines`,
          hint: `remove it for now; the sections this version runs are: ${Object.keys(schema.properties).join(', ')}`,
        };
      }
      const allowed = Object.keys(propertiesAt(e.schemaPath));
      const guess = closest(key, allowed);
      return {
        severity: 'error',
        location,
        message: `unknown key '${key}' in ${where}`,
        hint: (guess ? `did you mean '${guess}'? ` : '') + (allowed.length ? `expected one of: ${allowed.join(', ')}` : ''),
      };
    }
    case 'required':
      return {
        severity: 'error',
        location: positions.locate(path, { key: true }),
        message: `${where} needs the key '${String(p.missingProperty)}'`,
        hint: describe([...path, String(p.missingProperty)]),
      };
    case 'type':
      return {
        severity: 'error',
        location: positions.locate(path),
        message: `${where}: expected ${article(String(p.type))}, found ${kindOf(e.data)}`,
        hint: describe(path),
      };
    case 'anyOf':
      return {
        severity: 'error',
        location: positions.locate(path),
        message: `${where}: expected a name or a list of names`,
        hint: describe(path),
      };
    case 'pattern':
      return {
        severity: 'error',
        location: positions.locate(path),
        message: `${where}: '${String(e.data)}' is not a valid name`,
        hint: describe(path) ?? `use letters, digits, '_' and '-'`,
      };
    case 'propertyNames':
      return {
        severity: 'error',
        location: positions.locate([...path, String(p.propertyName)], { key: true }),
        message: `${where}: '${String(p.propertyName)}' is not a valid column name`,
        hint: 'start with a letter or _, then letters, digits and _',
      };
    default:
      return {
        severity: 'error',
        location: positions.locate(path),
        message: `${where} ${e.message ?? 'is not valid'}`,
        hint: describe(path),
      };
  }
}

function pointerToPath(pointer: string): DocPath {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

type SchemaNode = { properties?: Record<string, SchemaNode>; items?: SchemaNode; description?: string };

/** The schema's own description of a path, so hints repeat what completion shows in the editor. */
function describe(path: DocPath): string | undefined {
  let node: SchemaNode | undefined = schema as SchemaNode;
  for (const segment of path) {
    node = typeof segment === 'number' ? node?.items : node?.properties?.[segment];
  }
  return node?.description;
}

function propertiesAt(schemaPath: string): Record<string, unknown> {
  // schemaPath ends in `/additionalProperties`; its parent holds `properties`.
  let node: unknown = schema;
  for (const part of schemaPath.replace(/^#\//, '').split('/').slice(0, -1)) node = (node as Record<string, unknown>)?.[part];
  return ((node as SchemaNode)?.properties ?? {}) as Record<string, unknown>;
}

function kindOf(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

function article(type: string): string {
  const names: Record<string, string> = {
    object: 'a mapping', array: 'a list', string: 'a string', number: 'a number', integer: 'a whole number', boolean: 'true or false',
  };
  return type.split(',').map((t) => names[t] ?? t).join(' or ');
}
