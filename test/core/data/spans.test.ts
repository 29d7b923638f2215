import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { resolveSpans } from '../../../src/core/data/spans';
import { isUserError } from '../../../src/core/util/problems';
import { at, FIXTURES } from './helpers';

const spansDir = path.join(FIXTURES, 'spans');
const located = (value: string) => ({ value, location: at(4, 10) });

async function userError(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (e) {
    assert.ok(isUserError(e));
    return e.message;
  }
  assert.fail('expected a UserError');
}

describe('resolveSpans', () => {
  it('orders the files a glob matches by name', async () => {
    const spans = await resolveSpans(located(path.join(spansDir, 'day-*.csv')), 'data.train');
    assert.deepEqual(
      spans.map((s) => s.name),
      ['day-01.csv', 'day-02.csv', 'day-10.csv'],
    );
    assert.deepEqual(
      spans.map((s) => s.file),
      ['day-01.csv', 'day-02.csv', 'day-10.csv'].map((f) => path.join(spansDir, f)),
    );
    assert.ok(spans.every((s) => s.bytes > 0));
  });

  it('names spans by their path below the fixed folder of the glob', async () => {
    const spans = await resolveSpans(located(path.join(FIXTURES, '**/day-0*.csv')), 'data.train');
    assert.deepEqual(
      spans.map((s) => s.name),
      ['spans/day-01.csv', 'spans/day-02.csv'],
    );
  });

  it('takes a literal path as one span', async () => {
    const spans = await resolveSpans(located(path.join(spansDir, 'day-02.csv')), 'data.eval');
    assert.deepEqual(
      spans.map((s) => s.name),
      ['day-02.csv'],
    );
  });

  it('fails on a glob that matches nothing, naming the pattern and the pipeline line', async () => {
    const pattern = path.join(spansDir, 'week-*.csv');
    const message = await userError(() => resolveSpans(located(pattern), 'data.train'));
    assert.ok(message.startsWith('/work/project/demo.pipeline.yaml:4:10: error: data.train: no file matches '), message);
    assert.ok(message.includes(pattern));
  });

  it('fails on a missing file and on a folder', async () => {
    const missing = path.join(spansDir, 'day-99.csv');
    const message = await userError(() => resolveSpans(located(missing), 'data.eval'));
    assert.ok(message.startsWith(`/work/project/demo.pipeline.yaml:4:10: error: data.eval: data file not found: ${missing}`), message);
    assert.match(await userError(() => resolveSpans(located(spansDir), 'data.train')), /is a folder, not a CSV file[\s\S]*hint: use a glob such as/);
  });
});
