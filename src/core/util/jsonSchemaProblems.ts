import type { ErrorObject } from 'ajv';
import type { DocPath, DocumentPositions } from '../pipeline/positions';
import { closest } from './closest';
import type { Problem, SourceLocation } from './problems';

/**
 * Turns ajv errors for a YAML/JSON document into problems at the line and column the user wrote,
 * with hints taken from the JSON Schema's own descriptions (what completion shows in the editor).
 * Generic over the schema, so the pipeline file and the data schema file read the same way.
 */
export interface JsonSchemaProblemOptions {
  /** The JSON Schema the errors come from: for descriptions and the keys allowed at a place. */
  schema: object;
  /** How to name the document root in messages, e.g. `the pipeline file`. */
  documentName: string;
  /** A more specific message for an unknown key (e.g. a section a later version supports). */
  unknownKey?: (key: string, path: DocPath, location: SourceLocation) => Problem | undefined;
  /** The message for a failed `anyOf` (default: "does not match any allowed form"). */
  anyOfMessage?: string;
  /** Spell out `enum` and `const` failures with the allowed values (else ajv's own message). */
  listAllowedValues?: boolean;
}

export function jsonSchemaProblems(errors: readonly ErrorObject[], positions: DocumentPositions, opts: JsonSchemaProblemOptions): Problem[] {
  return collapseAlternatives(errors).map((e) => toProblem(e, positions, opts));
}

/** `anyOf` reports one error per failed branch and then its own: keep only the summary. */
function collapseAlternatives(errors: readonly ErrorObject[]): ErrorObject[] {
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  return errors.filter((e) => e.keyword === 'anyOf' || !anyOfPaths.has(e.instancePath));
}

function toProblem(e: ErrorObject, positions: DocumentPositions, opts: JsonSchemaProblemOptions): Problem {
  const path = pointerToPath(e.instancePath);
  const where = path.length ? path.join('.') : opts.documentName;
  const p = e.params as Record<string, unknown>;
  const hint = describe(opts.schema, path);
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const location = positions.locate([...path, key], { key: true });
      const special = opts.unknownKey?.(key, path, location);
      if (special) return special;
      // With `verbose`, ajv gives the schema object that failed (also inside a $ref); else walk the path.
      const allowed = Object.keys((e.parentSchema as SchemaNode | undefined)?.properties ?? propertiesAt(opts.schema, e.schemaPath));
      const guess = closest(key, allowed);
      return {
        severity: 'error',
        location,
        message: `unknown key '${key}' in ${where}`,
        hint: (guess ? `did you mean '${guess}'? ` : '') + (allowed.length ? `expected one of: ${allowed.join(', ')}` : ''),
        ...(guess && { suggestion: { text: key, replacement: guess } }),
      };
    }
    case 'required':
      return {
        severity: 'error',
        location: positions.locate(path, { key: true }),
        message: `${where} needs the key '${String(p.missingProperty)}'`,
        hint: describe(opts.schema, [...path, String(p.missingProperty)]),
      };
    case 'type':
      return { severity: 'error', location: positions.locate(path), message: `${where}: expected ${article(String(p.type))}, found ${kindOf(e.data)}`, hint };
    case 'anyOf':
      return { severity: 'error', location: positions.locate(path), message: `${where}: ${opts.anyOfMessage ?? 'does not match any allowed form'}`, hint };
    case 'pattern': {
      // Most patterns are names; the others (a duration) are explained by their description.
      const name = /^\^\[A-Za-z/.test(String(p.pattern));
      return {
        severity: 'error',
        location: positions.locate(path),
        message: `${where}: '${String(e.data)}' is not ${name ? 'a valid name' : 'of the expected form'}`,
        hint: hint ?? (name ? `use letters, digits, '_' and '-'` : undefined),
      };
    }
    case 'propertyNames':
      return {
        severity: 'error',
        location: positions.locate([...path, String(p.propertyName)], { key: true }),
        message: `${where}: '${String(p.propertyName)}' is not a valid column name`,
        hint: 'start with a letter or _, then letters, digits and _',
      };
    case 'enum':
    case 'const':
      if (opts.listAllowedValues) {
        const allowed = (e.keyword === 'enum' ? (p.allowedValues as unknown[]) : [p.allowedValue]).map((v) => JSON.stringify(v));
        const guess =
          typeof e.data === 'string'
            ? closest(
                e.data,
                allowed.map((a) => a.replace(/^"|"$/g, '')),
              )
            : undefined;
        return {
          severity: 'error',
          location: positions.locate(path),
          message: `${where}: ${kindOf(e.data)} is not allowed`,
          hint: (guess ? `did you mean '${guess}'? ` : '') + `expected ${allowed.length > 1 ? 'one of: ' : ''}${allowed.join(', ')}`,
          ...(guess && typeof e.data === 'string' && { suggestion: { text: e.data, replacement: guess } }),
        };
      }
      return { severity: 'error', location: positions.locate(path), message: `${where} ${e.message ?? 'is not valid'}`, hint };
    default:
      return { severity: 'error', location: positions.locate(path), message: `${where} ${e.message ?? 'is not valid'}`, hint };
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

type SchemaNode = {
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  description?: string;
  $ref?: string;
  allOf?: SchemaNode[];
};

/** Follows `$ref` (local) and a single-`allOf` wrapper, keeping the outer description. */
function resolve(root: object, node: SchemaNode | undefined): SchemaNode | undefined {
  if (!node) return undefined;
  if (node.$ref?.startsWith('#/')) {
    let target: unknown = root;
    for (const part of node.$ref.slice(2).split('/')) target = (target as Record<string, unknown>)?.[part];
    const resolved = resolve(root, target as SchemaNode);
    return resolved && { ...resolved, description: node.description ?? resolved.description };
  }
  if (node.allOf?.length === 1 && !node.properties) {
    const inner = resolve(root, node.allOf[0]);
    return inner && { ...inner, description: node.description ?? inner.description };
  }
  return node;
}

/** The schema's own description of a path, so hints repeat what completion shows in the editor. */
function describe(root: object, path: DocPath): string | undefined {
  let node = resolve(root, root);
  for (const segment of path) {
    if (typeof segment === 'number') node = resolve(root, node?.items);
    else {
      const next = node?.properties?.[segment] ?? (typeof node?.additionalProperties === 'object' ? node.additionalProperties : undefined);
      node = resolve(root, next);
    }
  }
  return node?.description;
}

function propertiesAt(root: object, schemaPath: string): Record<string, unknown> {
  // schemaPath ends in `/additionalProperties`; its parent holds `properties`.
  let node: unknown = root;
  for (const part of schemaPath.replace(/^#\//, '').split('/').slice(0, -1)) node = (node as Record<string, unknown>)?.[part];
  return (node as SchemaNode)?.properties ?? {};
}

function kindOf(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

function article(type: string): string {
  const names: Record<string, string> = {
    object: 'a mapping',
    array: 'a list',
    string: 'a string',
    number: 'a number',
    integer: 'a whole number',
    boolean: 'true or false',
  };
  return type
    .split(',')
    .map((t) => names[t] ?? t)
    .join(' or ');
}
