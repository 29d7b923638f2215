import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isEvalRow } from '../../../src/core/data/split';
import { murmur3 } from '../../../src/core/util/murmur3';

const hash = (text: string, seed: number) => {
  const bytes = Buffer.from(text);
  return murmur3(bytes, 0, bytes.length, seed);
};

describe('murmur3', () => {
  it('matches the reference x86 32-bit vectors', () => {
    assert.equal(hash('', 0), 0);
    assert.equal(hash('', 1), 0x514e28b7);
    assert.equal(hash('', 0xffffffff), 0x81f16f39);
    assert.equal(hash('hello', 0), 0x248bfa47);
    assert.equal(hash('Hello, world!', 1234), 0xfaf6cdb3);
    assert.equal(hash('The quick brown fox jumps over the lazy dog', 0), 0x2e4ff723);
    assert.equal(hash('abc', 0), 0xb3dd93fa);
  });

  it('hashes a byte range, not the whole buffer', () => {
    const bytes = Buffer.from('xxhelloyy');
    assert.equal(murmur3(bytes, 2, 7, 0), hash('hello', 0));
  });
});

describe('isEvalRow', () => {
  it('sends about the asked share to eval, the same rows every time', () => {
    const rows = Array.from({ length: 20000 }, (_, i) => Buffer.from(`${i},row ${i * 7},${i % 13}`));
    const pick = (seed: number) => rows.map((r) => isEvalRow(r, 0, r.length, seed, 0.2));
    const first = pick(7);
    const share = first.filter(Boolean).length / rows.length;
    assert.ok(Math.abs(share - 0.2) < 0.015, `share ${share}`);
    assert.deepEqual(pick(7), first);
    assert.notDeepEqual(pick(8), first);
    assert.equal(rows.filter((r) => isEvalRow(r, 0, r.length, 7, 0)).length, 0);
    assert.equal(rows.filter((r) => isEvalRow(r, 0, r.length, 7, 1)).length, rows.length);
  });
});
