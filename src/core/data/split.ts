/**
 * Deterministic train/eval split by hashing each row's bytes with a seed: a row lands in the same
 * split whatever the file order or chunking, and re-running with the same seed gives the same split.
 */

import { murmur3 } from '../util/murmur3';

/** True when the row `bytes[start, end)` belongs to the eval share `fraction` (0..1). */
export function isEvalRow(bytes: Uint8Array, start: number, end: number, seed: number, fraction: number): boolean {
  return murmur3(bytes, start, end, seed) < fraction * 0x100000000;
}
