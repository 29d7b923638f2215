import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromPage } from '../../src/shared/contract';
import { array, int, literal, messages, nullable, num, object, optional, record, refine, str, union } from '../../src/shared/schema';

test('object: required keys present and valid, optional keys absent or valid, other keys ignored', () => {
  const point = object({ x: num, label: optional(str), at: nullable(int) });
  assert.ok(point({ x: 1, at: null }));
  assert.ok(point({ x: 1, at: 3, label: 'a', extra: true }));
  assert.equal(point({ x: '1', at: null }), false, 'a wrong type');
  assert.equal(point({ x: 1 }), false, 'a missing nullable key is not null');
  assert.equal(point({ x: 1, at: null, label: 2 }), false, 'an optional key of the wrong type');
  assert.equal(point([1]), false);
  assert.equal(point(null), false);
});

test('arrays, records, literals, unions and refinements', () => {
  assert.ok(array(int)([1, 2]));
  assert.equal(array(int)([1, 2.5]), false);
  assert.ok(record(nullable(num))({ auc: 0.8, loss: null }));
  assert.equal(record(num)({ auc: '0.8' }), false);
  assert.ok(literal('svg', 'png')('png'));
  assert.equal(literal('svg', 'png')('gif'), false);
  const source = union(object({ kind: literal('checked') }), object({ kind: literal('trials'), parentRunId: int }));
  assert.ok(source({ kind: 'trials', parentRunId: 3 }));
  assert.equal(source({ kind: 'trials' }), false);
  const probability = refine(num, (p) => p >= 0 && p <= 1);
  assert.ok(probability(0.5));
  assert.equal(probability(1.5), false);
});

test('a channel accepts each known message with its payload, and a page channel the log line too', () => {
  const toPage = messages({ view: object({ runId: int }), empty: object({ message: str }) });
  assert.ok(toPage({ type: 'view', payload: { runId: 1 } }));
  assert.equal(toPage({ type: 'view', payload: { message: 'x' } }), false, 'the payload of another message');
  assert.equal(toPage({ type: 'toString', payload: {} }), false, 'not a key the channel owns');
  assert.equal(toPage({ type: 'view' }), false);
  const fromThePage = fromPage({ ready: object({}) });
  assert.ok(fromThePage({ type: 'ready', payload: {} }));
  assert.ok(fromThePage({ type: 'log', payload: { level: 'warn', message: 'x' } }));
  assert.equal(fromThePage({ type: 'log', payload: { level: 'debug', message: 'x' } }), false);
});
