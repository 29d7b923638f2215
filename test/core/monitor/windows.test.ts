import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WindowAssembler } from '../../../src/core/monitor/windows';
import type { ServedRecord } from '../../../src/core/serve/log';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);

function record(id: string, version: number, at: number): ServedRecord {
  return { id, at, model: 'taxi', version, inputs: { fare: 1 }, score: 0.5, latencyMs: 1 };
}

describe('WindowAssembler', () => {
  it('closes a count window when one version has served that many rows; versions never share a window', () => {
    const w = new WindowAssembler('taxi', { rows: 3 });
    const records = [record('a', 1, T0), record('b', 2, T0 + 1), record('c', 1, T0 + 2), record('d', 2, T0 + 3), record('e', 1, T0 + 4)];
    const closed = w.add(records);
    assert.deepEqual(
      closed.map((c) => c.info),
      [{ key: 'v1/rows@a', model: 'taxi', version: 1, start: T0, end: T0 + 4, rows: 3 }],
    );
    assert.deepEqual(
      closed[0].records.map((r) => r.id),
      ['a', 'c', 'e'],
    );
    assert.deepEqual(w.pending(), [{ version: 2, rows: 2 }]);
    assert.deepEqual(
      w.add([record('f', 2, T0 + 5)]).map((c) => c.info.key),
      ['v2/rows@b'],
    );
    assert.deepEqual(w.close(T0 + 10 * HOUR), [], 'count windows do not close with time');
  });

  it('closes a time window once its period has ended, and counts rows that arrive after that as late', () => {
    const w = new WindowAssembler('taxi', { ms: HOUR, text: '1h' });
    w.add([record('a', 1, T0 + 5), record('b', 1, T0 + HOUR + 5), record('c', 2, T0 + 10)]);
    assert.deepEqual(w.close(T0 + HOUR - 1), [], 'the first hour has not ended yet');
    const closed = w.close(T0 + HOUR);
    assert.deepEqual(
      closed.map((c) => c.info),
      [
        { key: 'v1/time@2026-11-25T10:00:00.000Z', model: 'taxi', version: 1, start: T0, end: T0 + HOUR, rows: 1 },
        { key: 'v2/time@2026-11-25T10:00:00.000Z', model: 'taxi', version: 2, start: T0, end: T0 + HOUR, rows: 1 },
      ],
    );
    w.add([record('late', 1, T0 + 20), record('d', 1, T0 + HOUR + 10)]);
    assert.equal(w.late, 1);
    assert.deepEqual(w.pending(), [{ version: 1, rows: 2 }]);
    assert.deepEqual(
      w.close(T0 + 2 * HOUR).map((c) => c.records.map((r) => r.id)),
      [['b', 'd']],
    );
  });
});
