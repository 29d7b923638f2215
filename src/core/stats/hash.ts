/**
 * 53-bit hashes of UTF-8 bytes for the distinct-count sketch and the per-chunk value tables. Two
 * independent 32-bit FNV-1a lanes, each finished with murmur3's avalanche, so the top bits are
 * uniform (K-minimum-values reads them as a fraction of [0, 1)). Strings hash their UTF-8 bytes, so
 * a value read from CSV bytes and the same value read from the examples artifact get one hash and
 * sketches from either source merge.
 */

import { fmix32 } from '../util/murmur3';

/** The two 32-bit lanes of the last `hashBytes`/`hashString` call; read them right away. */
export let hashHi = 0;
export let hashLo = 0;

export function hashBytes(bytes: Uint8Array, start: number, end: number): void {
  let a = 0x811c9dc5;
  let b = 0x2f4a7c15;
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  finish(a, b, end - start);
}

const scratch = new TextEncoder();

export function hashString(text: string): void {
  let a = 0x811c9dc5;
  let b = 0x2f4a7c15;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) {
      const bytes = scratch.encode(text);
      hashBytes(bytes, 0, bytes.length);
      return;
    }
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  finish(a, b, text.length);
}

function finish(a: number, b: number, length: number): void {
  hashHi = fmix32(a ^ length);
  hashLo = fmix32(b ^ Math.imul(length, 0x9e3779b1));
}

const TWO_21 = 2 ** 21;

/** The lanes as one integer below 2^53 (exact in a double): 32 bits of `hi` and 21 of `lo`. */
export function hash53(hi = hashHi, lo = hashLo): number {
  return hi * TWO_21 + (lo >>> 11);
}

export const HASH_RANGE = 2 ** 53;
