import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ServingLog } from '../../../src/core/monitor';
import { FEEDBACK_LOG, requestLogFile, type ServedRecord } from '../../../src/core/serve/log';
import { isUserError } from '../../../src/core/util/problems';
import { tempDir } from '../../helpers/tmp';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 24, 23, 59, 0);

const line = (id: string, at: number) =>
  JSON.stringify({
    id,
    at,
    model: 'taxi',
    version: 1,
    inputs: { fare: 12.5, company: 'Flash Cab' },
    score: 0.7,
    label: 'true',
    latencyMs: 2,
  } satisfies ServedRecord) + '\n';

async function logFolder(): Promise<{ logDir: string; dir: string }> {
  const logDir = tempDir();
  const dir = path.join(logDir, 'taxi');
  await fs.mkdir(dir);
  return { logDir, dir };
}

describe('ServingLog', () => {
  it('reads the day files in order, and each read returns only the lines completed since the last', async () => {
    const { logDir, dir } = await logFolder();
    await fs.writeFile(path.join(dir, requestLogFile(T0 + DAY)), line('c', T0 + DAY));
    await fs.writeFile(path.join(dir, requestLogFile(T0)), line('a', T0) + line('b', T0 + 1));
    const log = await ServingLog.open(logDir, 'taxi');
    assert.deepEqual(
      (await log.newRecords()).records.map((r) => r.id),
      ['a', 'b', 'c'],
    );
    assert.deepEqual((await log.newRecords()).records, []);

    // The server is half-way through a line: it waits for the rest.
    const partial = line('d', T0 + DAY + 1);
    await fs.appendFile(path.join(dir, requestLogFile(T0 + DAY)), partial.slice(0, 20));
    assert.deepEqual((await log.newRecords()).records, []);
    await fs.appendFile(path.join(dir, requestLogFile(T0 + DAY)), partial.slice(20) + line('e', T0 + DAY + 2));
    const next = await log.newRecords();
    assert.deepEqual(
      next.records.map((r) => r.id),
      ['d', 'e'],
    );
    assert.deepEqual(next.records[0].inputs, { fare: 12.5, company: 'Flash Cab' });
  });

  it('names each malformed line by file and line, skips it and reads on', async () => {
    const { logDir, dir } = await logFolder();
    const file = path.join(dir, requestLogFile(T0));
    const bad = [
      '{"id": "x", "at": 1',
      JSON.stringify({ id: 'y', at: T0, model: 'taxi', version: 1, inputs: { fare: 1 } }),
      JSON.stringify({ id: 'z', at: T0, model: 'taxi', version: 0, inputs: { fare: 1 }, score: 1 }),
      '[1, 2]',
    ];
    await fs.writeFile(file, line('a', T0) + bad[0] + '\n\n' + bad[1] + '\n' + bad[2] + '\n' + bad[3] + '\n' + line('b', T0));
    const { records, malformed } = await (await ServingLog.open(logDir, 'taxi')).newRecords();
    assert.deepEqual(
      records.map((r) => r.id),
      ['a', 'b'],
    );
    assert.deepEqual(
      malformed.map((m) => [path.basename(m.file), m.line, m.reason.replace(/\(.*\)/, '(…)')]),
      [
        [path.basename(file), 2, 'not JSON (…)'],
        [path.basename(file), 4, "no 'score'"],
        [path.basename(file), 5, "'version' is not a version number"],
        [path.basename(file), 6, 'not a JSON object'],
      ],
    );
  });

  it('reads feedback the same way', async () => {
    const { logDir, dir } = await logFolder();
    const log = await ServingLog.open(logDir, 'taxi');
    assert.deepEqual(await log.newFeedback(), { feedback: [], malformed: [] }, 'no feedback file yet');
    await fs.writeFile(path.join(dir, FEEDBACK_LOG), '{"id":"a","label":true,"at":5}\n{"id":"b","at":6}\n{"id":"c","label":"yes","at":7}\n');
    const { feedback, malformed } = await log.newFeedback();
    assert.deepEqual(
      feedback.map((f) => [f.id, f.label]),
      [
        ['a', true],
        ['c', 'yes'],
      ],
    );
    assert.deepEqual(
      malformed.map((m) => [m.line, m.reason]),
      [[2, "no 'label'"]],
    );
  });

  it('refuses a missing folder, naming it and the models that have a log', async () => {
    const { logDir } = await logFolder();
    await assert.rejects(ServingLog.open(logDir, 'taxy'), (e: unknown) => {
      assert.ok(isUserError(e));
      assert.match(e.message, /taxy: error: no serving log of model 'taxy' here/);
      assert.match(e.message, /models with a log: taxi/);
      return true;
    });
    await assert.rejects(ServingLog.open(path.join(logDir, 'nowhere'), 'taxi'), /nowhere: error: no serving log folder here/);
  });
});
