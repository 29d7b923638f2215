import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseArgs } from '../../../src/cli/args';
import { schemaInferCommand } from '../../../src/cli/commands/schema';
import { parseComparatorFlags, validateDataCommand } from '../../../src/cli/commands/validateData';
import type { CommandSpec } from '../../../src/cli/args';
import type { DataSchema } from '../../../src/core/schema/types';
import { isUserError } from '../../../src/core/util/problems';
import { SHARED_DATASETS, tempDir } from '../../helpers/tmp';

const TAXI = [
  path.join(SHARED_DATASETS, 'taxi'),
  path.resolve(__dirname, '../../../../../shared/datasets/taxi'),
  path.resolve(__dirname, '../../../../shared/datasets/taxi'),
].find((d) => existsSync(path.join(d, 'train.csv')))!;

async function run(spec: CommandSpec, argv: string[]): Promise<{ code: number; out: string }> {
  const write = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = (chunk: string) => ((out += chunk), true);
  try {
    const code = await spec.run(parseArgs(spec, argv));
    // eslint-disable-next-line no-control-regex
    return { code, out: out.replace(/\x1b\[[0-9;]*m/g, '') }; // colours depend on the terminal running the tests
  } finally {
    process.stdout.write = write;
  }
}

const schema: DataSchema = { version: 1, features: { fare: { type: 'float' }, company: { type: 'string' }, hour: { type: 'int', categorical: true } } };

describe('comparator flags', () => {
  it('parse FEATURE=METHOD[:THRESHOLD], with Evidently defaults when the threshold is left out', () => {
    assert.deepEqual(parseComparatorFlags('drift', ['fare=psi:0.25', 'fare=ks', 'company=linf:0.01', 'company=auto', 'hour=chi2'], schema), {
      fare: { psi: 0.25, ks: 0.05 },
      company: { linf: 0.01, auto: true },
      hour: { chi2: 0.05 },
    });
  });

  it('reject bad flags with a clear message', () => {
    const message = (flags: string[]) => {
      try {
        parseComparatorFlags('drift', flags, schema);
      } catch (e) {
        assert.ok(isUserError(e));
        return (e as Error).message;
      }
      return '';
    };
    assert.match(message(['fare=xyz:abc']), /--drift fare=xyz:abc: unknown method 'xyz'[\s\S]*methods: linf, jsd, psi, wasserstein, ks, chi2, auto/);
    assert.match(message(['fare=psi:abc']), /threshold 'abc' is not a non-negative number/);
    assert.match(message(['fare=ks:5']), /p-values: the threshold must be in \(0, 1\]/);
    assert.match(message(['fare']), /expected FEATURE=METHOD/);
    assert.match(message(['fair=jsd']), /no feature 'fair'[\s\S]*did you mean 'fare'/);
    assert.match(message(['fare=linf:0.1']), /linf compares categories and 'fare' is float/);
    assert.match(message(['company=linf']), /linf needs a threshold/);
    assert.match(message(['company=auto:0.1']), /auto picks its own thresholds/);
    assert.match(message(['fare=jds']), /did you mean 'jsd'/);
  });
});

describe('mlops schema infer / mlops validate <csv>', () => {
  it('infers a schema, then validates eval (exit 1, stable JSON) and serving in its environment (exit 0)', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'data-schema.json');
    const infer = await run(schemaInferCommand, [path.join(TAXI, 'train.csv'), '--out', file, '--exclude', 'serving=tips']);
    assert.equal(infer.code, 0);
    assert.match(infer.out, /18 features from 10,000 examples/);
    await assert.rejects(run(schemaInferCommand, [path.join(TAXI, 'train.csv'), '--out', file]), /exists/);

    const evalRun = await run(validateDataCommand, [
      path.join(TAXI, 'eval.csv'),
      '--schema',
      file,
      '--previous',
      path.join(TAXI, 'train.csv'),
      '--drift',
      'fare=wasserstein',
      '--json',
    ]);
    assert.equal(evalRun.code, 1);
    const json = JSON.parse(evalRun.out);
    assert.deepEqual(Object.keys(json), ['anomalies', 'drift', 'skew']);
    assert.deepEqual(Object.keys(json.anomalies[0]), ['feature', 'type', 'severity', 'short_description', 'description']);
    assert.ok(json.anomalies.some((a: { feature: string; type: string }) => a.feature === 'company' && a.type === 'ENUM_TYPE_UNEXPECTED_STRING_VALUES'));
    assert.deepEqual(Object.keys(json.drift[0]), ['feature', 'method', 'value', 'threshold', 'fired']);
    assert.deepEqual([json.drift[0].feature, json.drift[0].method, json.drift[0].threshold, json.drift[0].fired], ['fare', 'wasserstein', 0.1, false]);

    const servingRun = await run(validateDataCommand, [path.join(TAXI, 'serving.csv'), '--schema', file, '--environment', 'serving']);
    assert.equal(servingRun.code, 0, servingRun.out);
    assert.match(servingRun.out, /no anomalies/);
    const human = await run(validateDataCommand, [
      path.join(TAXI, 'eval.csv'),
      '--schema',
      file,
      '--serving',
      path.join(TAXI, 'serving.csv'),
      '--skew',
      'payment_type=linf:0.01',
    ]);
    assert.match(human.out, /FEATURE\s+TYPE\s+SEVERITY\s+DESCRIPTION/);
    assert.match(human.out, /payment_type\s+linf\s+[\d.]+\s+0\.01\s+(yes|no)/);
    await assert.rejects(run(validateDataCommand, [path.join(TAXI, 'eval.csv')]), /--schema FILE is required/);
    assert.ok((await fs.readFile(file, 'utf8')).includes('"not_in_environment": [\n        "serving"\n      ]'));
  });
});
