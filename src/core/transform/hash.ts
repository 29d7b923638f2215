import type { Value } from '../data/cells';

/**
 * The one string hash of the transform: FNV-1a, 32 bits, over the UTF-8 bytes of the token. Used
 * for OOV buckets, hashed features and crosses, at fit time and at serving alike; documented so
 * another implementation (a Python client, a SQL feature store) can reproduce every id.
 * TensorFlow Transform uses its own fingerprint, so ids differ from TFT's; the semantics do not.
 */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  const byte = (b: number) => {
    h = Math.imul(h ^ b, 0x01000193);
  };
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      h = Math.imul(h ^ c, 0x01000193);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    // A lone surrogate encodes as U+FFFD, as TextEncoder does.
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x800) {
      byte(0xc0 | (c >> 6));
    } else if (c < 0x10000) {
      byte(0xe0 | (c >> 12));
      byte(0x80 | ((c >> 6) & 0x3f));
    } else {
      byte(0xf0 | (c >> 18));
      byte(0x80 | ((c >> 12) & 0x3f));
      byte(0x80 | ((c >> 6) & 0x3f));
    }
    byte(0x80 | (c & 0x3f));
  }
  return h >>> 0;
}

/**
 * The token a raw value stands for in a vocabulary, a hash or a cross: strings as they are, numbers
 * in JavaScript's shortest form (so the int 5 is "5" whether it came from a CSV cell or a JSON
 * request), bools as "true"/"false". Null (missing) has no token.
 */
export function tokenOf(value: Value): string | null {
  if (value === null) return null;
  return typeof value === 'string' ? value : String(value);
}

/** Crossed values are joined with TFT's and TFMA's separator before hashing: "Cash_X_7". */
export const CROSS_SEPARATOR = '_X_';
