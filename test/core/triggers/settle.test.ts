import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { initialSettleState, settle, type FileLook } from '../../../src/core/triggers/settle';

const look = (file: string, bytes: number, mtimeMs = bytes): FileLook => ({ file, bytes, mtimeMs });

describe('settling new span files', () => {
  it('counts a new file once it looked the same for the settle time; files there at the start are not new', () => {
    let state = initialSettleState([look('a.csv', 10)]);
    let out = settle(state, [look('a.csv', 10), look('b.csv', 5)], 1000, 2000);
    assert.deepEqual([out.appeared, out.settled], [['b.csv'], []]);
    state = out.state;
    // Still growing: the wait starts again.
    out = settle(state, [look('a.csv', 10), look('b.csv', 8)], 2500, 2000);
    assert.deepEqual([out.appeared, out.settled], [[], []]);
    state = out.state;
    out = settle(state, [look('a.csv', 10), look('b.csv', 8)], 4499, 2000);
    assert.deepEqual(out.settled, []);
    out = settle(out.state, [look('a.csv', 10), look('b.csv', 8)], 4500, 2000);
    assert.deepEqual(out.settled, ['b.csv']);
    // Counted once.
    assert.deepEqual(settle(out.state, [look('a.csv', 10), look('b.csv', 8)], 9000, 2000).settled, []);
  });

  it('a rewritten file of the same size is told apart by its modification time', () => {
    const first = settle(initialSettleState([]), [look('c.csv', 4, 1)], 0, 100);
    const touched = settle(first.state, [look('c.csv', 4, 2)], 100, 100);
    assert.deepEqual(touched.settled, []);
    assert.deepEqual(settle(touched.state, [look('c.csv', 4, 2)], 200, 100).settled, ['c.csv']);
  });

  it('forgets a file that vanished, so it is new when it comes back; settles several at once in name order', () => {
    const gone = settle(initialSettleState([look('a.csv', 1)]), [], 0, 100);
    const back = settle(gone.state, [look('a.csv', 1), look('z.csv', 1)], 10, 100);
    assert.deepEqual(back.appeared, ['a.csv', 'z.csv']);
    assert.deepEqual(settle(back.state, [look('z.csv', 1), look('a.csv', 1)], 110, 100).settled, ['a.csv', 'z.csv']);
  });
});
