import Ajv from 'ajv';
import { promises as fs } from 'node:fs';
import { isMap, LineCounter, parseDocument } from 'yaml';
import jsonSchema from '../../../resources/data-schema.schema.json';
import { DocumentPositions } from '../pipeline/positions';
import { jsonSchemaProblems } from '../util/jsonSchemaProblems';
import { type Problem, UserError } from '../util/problems';
import { writeFileAtomic } from '../util/atomic';
import { lazy } from '../util/lazy';
import type { DataSchema } from './types';

// The same JSON Schema VS Code uses for completion and squiggles, so the editor and the engine agree.
const validator = lazy(() => new Ajv({ allErrors: true, allowUnionTypes: true, strict: true, verbose: true }).compile(jsonSchema));

export interface ParsedSchema {
  schema?: DataSchema;
  problems: Problem[];
}

/**
 * Parses and checks a data schema file's text. Pure and cheap (the editor can run it on every
 * change); never throws for a user's mistake: everything wrong is a problem at file:line:col.
 * Read with the YAML parser for its positions, then held to strict JSON, since the file is JSON.
 */
export function parseSchemaText(text: string, file: string): ParsedSchema {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const at = (offset: number) => {
    const pos = lines.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };
  if (doc.errors.length) {
    return {
      problems: doc.errors.map((e) => ({
        severity: 'error' as const,
        message: 'not valid JSON: ' + e.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, ''),
        location: { file, line: e.linePos?.[0].line ?? 1, column: e.linePos?.[0].col ?? 1, endLine: e.linePos?.[1]?.line, endColumn: e.linePos?.[1]?.col },
      })),
    };
  }
  try {
    JSON.parse(text);
  } catch (e) {
    // YAML accepted it (unquoted keys, comments, trailing commas in flow style...), JSON does not.
    const message = (e as Error).message;
    const offset = Number(/position (\d+)/.exec(message)?.[1] ?? 0);
    return {
      problems: [
        {
          severity: 'error',
          message: `not valid JSON: ${message.replace(/ in JSON at position \d+.*$/s, '')}`,
          location: at(offset),
          hint: 'the data schema is a JSON file: quote keys and strings, no comments or trailing commas',
        },
      ],
    };
  }
  if (!isMap(doc.contents)) {
    return {
      problems: [
        {
          severity: 'error',
          location: { file, line: 1, column: 1 },
          message: 'a data schema must be a JSON object with `version` and `features`',
          hint: 'start from: { "version": 1, "features": {} }',
        },
      ],
    };
  }
  const positions = new DocumentPositions(doc, lines, file);
  const value = doc.toJS() as DataSchema;
  const validate = validator();
  if (!validate(value)) {
    const problems = jsonSchemaProblems(validate.errors ?? [], positions, { schema: jsonSchema, documentName: 'the data schema', listAllowedValues: true });
    return { problems };
  }
  const problems = semanticProblems(value, positions);
  return { schema: problems.some((p) => p.severity === 'error') ? undefined : value, problems };
}

/** What JSON Schema cannot say: combinations of keys that contradict each other. */
function semanticProblems(schema: DataSchema, positions: DocumentPositions): Problem[] {
  const problems: Problem[] = [];
  const error = (path: (string | number)[], message: string, hint?: string) =>
    problems.push({ severity: 'error', location: positions.locate(path, { key: true }), message, hint });
  for (const [name, f] of Object.entries(schema.features)) {
    const at = (key: string) => ['features', name, key];
    if (f.domain && f.type !== 'string') error(at('domain'), `features.${name}: a domain (allowed string values) needs type string, not ${f.type}`);
    if (f.int_encoded && f.type !== 'string')
      error(at('int_encoded'), `features.${name}: int_encoded applies to strings; the type is ${f.type}`, `use "type": "int" alone for integer data`);
    if (f.float_encoded && f.type !== 'string') error(at('float_encoded'), `features.${name}: float_encoded applies to strings; the type is ${f.type}`);
    if (f.range && ((f.type === 'string' && !f.int_encoded) || f.type === 'bool'))
      error(at('range'), `features.${name}: a range needs a numeric type (int or float) or an int-encoded string`);
    if (f.range?.min !== undefined && f.range.max !== undefined && f.range.min > f.range.max)
      error(at('range'), `features.${name}.range: min ${f.range.min} is above max ${f.range.max}`);
    if (f.unique?.min !== undefined && f.unique.max !== undefined && f.unique.min > f.unique.max)
      error(at('unique'), `features.${name}.unique: min ${f.unique.min} is above max ${f.unique.max}`);
    if (f.allow_nan !== undefined && f.type !== 'float') error(at('allow_nan'), `features.${name}: allow_nan applies to float features; the type is ${f.type}`);
  }
  const n = schema.num_examples;
  if (n?.min !== undefined && n.max !== undefined && n.min > n.max) error(['num_examples'], `num_examples: min ${n.min} is above max ${n.max}`);
  const c = schema.num_examples_change;
  if (c?.min_fraction !== undefined && c.max_fraction !== undefined && c.min_fraction > c.max_fraction) {
    error(['num_examples_change'], `num_examples_change: min_fraction ${c.min_fraction} is above max_fraction ${c.max_fraction}`);
  }
  return problems;
}

/** Reads a data schema file; any problem is a UserError with file:line:col. */
export async function loadSchema(file: string): Promise<DataSchema> {
  const text = await fs.readFile(file, 'utf8').catch(() => {
    throw UserError.at('data schema file not found', { file }, 'infer one with `mlops schema infer <csv> --out ' + file + '`');
  });
  const parsed = parseSchemaText(text, file);
  const errors = parsed.problems.filter((p) => p.severity === 'error');
  if (errors.length || !parsed.schema) throw new UserError(errors.length ? errors : parsed.problems);
  return parsed.schema;
}

/** The file's text: features sorted by name, 2-space JSON, trailing newline; stable across runs. */
export function formatSchema(schema: DataSchema): string {
  const features = Object.fromEntries(
    Object.keys(schema.features)
      .sort()
      .map((k) => [k, schema.features[k]]),
  );
  return JSON.stringify({ ...schema, features }, null, 2) + '\n';
}

/** Writes via a temporary file and a rename, so the editor never sees half a schema. */
export async function writeSchema(file: string, schema: DataSchema): Promise<void> {
  await writeFileAtomic(file, formatSchema(schema));
}
