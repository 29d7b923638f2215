import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadSchema, parseSchemaText, writeSchema } from '../../../src/core/schema';
import type { DataSchema } from '../../../src/core/schema/types';
import { isUserError } from '../../../src/core/util/problems';
import { tempDir } from '../../helpers/tmp';

const FILE = '/ws/data-schema.json';
const at = (text: string) =>
  parseSchemaText(text, FILE).problems.map((p) => `${p.location?.line}:${p.location?.column} ${p.message}${p.hint ? ` | ${p.hint}` : ''}`);

describe('data schema file', () => {
  it('reads a valid file', () => {
    const text = JSON.stringify({ version: 1, features: { fare: { type: 'float', range: { min: 0 }, drift: { jsd: 0.01 } } } }, null, 2);
    const r = parseSchemaText(text, FILE);
    assert.deepEqual(r.problems, []);
    assert.equal(r.schema?.features.fare.range?.min, 0);
  });

  it('reports invalid JSON at line:col', () => {
    const [p] = at('{\n  "version": 1,\n  "features": {\n    "fare": { "type": "float", }\n  }\n}\n');
    assert.match(p, /^4:\d+ not valid JSON/);
    const [q] = at('{\n  "version": 1,\n  "features": {\n    "fare": {"type": "float"\n  }\n');
    assert.match(q, /^\d+:\d+ not valid JSON/);
    const [u] = at('{\n  version: 1,\n  "features": {}\n}\n');
    assert.match(u, /^2:3 not valid JSON/);
  });

  it('reports unknown feature keys with "did you mean" at the key', () => {
    const text = '{\n  "version": 1,\n  "features": {\n    "fare": {\n      "type": "float",\n      "rnage": { "min": 0 }\n    }\n  }\n}\n';
    const [p] = at(text);
    assert.match(p, /^6:7 unknown key 'rnage' in features\.fare \| did you mean 'range'\?/);
    const [t] = at('{ "version": 1, "features": { "fare": { "type": "float", "drift": { "jsdd": 0.1 } } } }');
    assert.match(t, /unknown key 'jsdd' in features\.fare\.drift \| did you mean 'jsd'\?/);
  });

  it('reports schema violations with the schema’s description as hint', () => {
    const text =
      '{\n  "version": 1,\n  "features": {\n    "fare": { "type": "flaot" },\n    "tips": { "type": "float", "presence": { "min_fraction": 2 } }\n  }\n}\n';
    const problems = at(text);
    assert.equal(problems.length, 2);
    assert.match(
      problems[0],
      /^4:23 features\.fare\.type: string "flaot" is not allowed \| did you mean 'float'\? expected one of: "int", "float", "string", "bool"/,
    );
    assert.match(problems[1], /^5:62 features\.tips\.presence\.min_fraction must be <= 1 \| Smallest share/);
    assert.match(at('{ "features": {} }')[0], /the data schema needs the key 'version'/);
  });

  it('reports contradictions JSON Schema cannot express', () => {
    const text = '{\n  "version": 1,\n  "features": {\n    "n": { "type": "int", "domain": ["a"], "range": { "min": 5, "max": 1 } }\n  }\n}\n';
    const problems = at(text);
    assert.equal(problems.length, 2);
    assert.match(problems[0], /^4:27 features\.n: a domain/);
    assert.match(problems[1], /range: min 5 is above max 1/);
  });

  it('loadSchema throws a UserError with file:line:col; writeSchema round-trips atomically', async () => {
    const dir = tempDir();
    const bad = path.join(dir, 'bad.data-schema.json');
    await fs.writeFile(bad, '{ "version": 2, "features": {} }');
    const e = await loadSchema(bad).then(
      () => undefined,
      (x: unknown) => x,
    );
    assert.ok(isUserError(e));
    assert.match(e.message, new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1:14: error: version`));
    const missing = await loadSchema(path.join(dir, 'nope.json')).then(
      () => undefined,
      (x: unknown) => x,
    );
    assert.match((missing as Error).message, /data schema file not found/);

    const schema: DataSchema = { version: 1, features: { b: { type: 'int' }, a: { type: 'string', domain: ['x'] } } };
    const file = path.join(dir, 'data-schema.json');
    await writeSchema(file, schema);
    const text = await fs.readFile(file, 'utf8');
    assert.ok(text.indexOf('"a"') < text.indexOf('"b"'), 'features sorted');
    assert.ok(text.endsWith('}\n'));
    assert.deepEqual(await loadSchema(file), { version: 1, features: { a: schema.features.a, b: schema.features.b } });
    assert.deepEqual((await fs.readdir(dir)).sort(), ['bad.data-schema.json', 'data-schema.json']);
  });
});
