import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Prediction } from '../../../src/core/model/types';
import { MAX_OPEN_TURNS, PredictBatcher } from '../../../src/core/serve/batcher';
import type { RawRow } from '../../../src/core/transform/types';
import { UserError } from '../../../src/core/util/problems';

/** A fake model: score = the row's `x`; a row with `bad` is refused as the transform would refuse it. */
function fakeModel() {
  const calls: number[] = [];
  const predict = async (rows: readonly RawRow[]): Promise<Prediction[]> => {
    calls.push(rows.length);
    if (rows.some((r) => r.bad)) throw UserError.at('\'x\' is a float column; "bad" is not a number');
    return rows.map((r) => ({ score: r.x as number }));
  };
  return { calls, predict };
}

const rows = (...xs: number[]): RawRow[] => xs.map((x) => ({ x }));
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const scores = (p: Prediction[]) => p.map((q) => q.score);

describe('PredictBatcher', () => {
  it('predicts requests made together in one call and gives each its own rows back', async () => {
    const model = fakeModel();
    const batcher = new PredictBatcher(model.predict, 100);
    const answers = await Promise.all([batcher.predict(rows(1)), batcher.predict(rows(2, 3)), batcher.predict(rows(4))]);
    assert.deepEqual(answers.map(scores), [[1], [2, 3], [4]]);
    assert.deepEqual(model.calls, [4]);
  });

  it('keeps a batch within the row limit', async () => {
    const model = fakeModel();
    const batcher = new PredictBatcher(model.predict, 3);
    const answers = await Promise.all([batcher.predict(rows(1, 2)), batcher.predict(rows(3)), batcher.predict(rows(4, 5)), batcher.predict(rows(6, 7, 8, 9))]);
    assert.deepEqual(answers.map(scores), [[1, 2], [3], [4, 5], [6, 7, 8, 9]]);
    assert.deepEqual(model.calls, [3, 2, 4]);
  });

  it('fails only the request whose row the model refuses', async () => {
    const model = fakeModel();
    const batcher = new PredictBatcher(model.predict, 100);
    const [good, bad, other] = await Promise.allSettled([batcher.predict(rows(1)), batcher.predict([{ x: 2, bad: true }]), batcher.predict(rows(3))]);
    assert.deepEqual(good.status === 'fulfilled' && scores(good.value), [1]);
    assert.ok(bad.status === 'rejected' && bad.reason instanceof UserError);
    assert.deepEqual(other.status === 'fulfilled' && scores(other.value), [3]);
  });

  it('a batch stays open while each event-loop turn brings new requests, up to its turn limit', async () => {
    const model = fakeModel();
    const batcher = new PredictBatcher(model.predict, 100);
    // One request per turn, for longer than a batch may stay open.
    const answers: Promise<Prediction[]>[] = [];
    for (let x = 1; x <= MAX_OPEN_TURNS + 3; x++) {
      answers.push(batcher.predict(rows(x)));
      await nextTurn();
    }
    assert.deepEqual(
      (await Promise.all(answers)).map(scores),
      rows(...Array.from({ length: MAX_OPEN_TURNS + 3 }, (_, i) => i + 1)).map((r) => [r.x]),
    );
    assert.equal(model.calls[0], MAX_OPEN_TURNS + 1, `calls: ${model.calls}`);
    assert.equal(
      model.calls.reduce((a, b) => a + b),
      MAX_OPEN_TURNS + 3,
    );
  });

  it('a full batch does not wait for more', async () => {
    const model = fakeModel();
    const batcher = new PredictBatcher(model.predict, 2);
    const first = batcher.predict(rows(1, 2));
    await nextTurn();
    const second = batcher.predict(rows(3));
    assert.deepEqual([scores(await first), scores(await second)], [[1, 2], [3]]);
    assert.deepEqual(model.calls, [2, 1]);
  });

  it('requests made at different times are separate calls', async () => {
    const model = fakeModel();
    const batcher = new PredictBatcher(model.predict, 100);
    await batcher.predict(rows(1));
    await batcher.predict(rows(2));
    assert.deepEqual(model.calls, [1, 1]);
  });
});
