/**
 * Vocabulary order as TensorFlow Transform writes it: decreasing frequency, ties broken by reverse
 * lexicographic order of the token (TFT compares UTF-8 bytes, which is code point order), then
 * `frequency_threshold` (keep count >= threshold) and `top_k` (keep the first k).
 */
export function orderVocabulary(counts: ReadonlyMap<string, number>, options: { topK?: number; frequencyThreshold?: number } = {}): string[] {
  const threshold = options.frequencyThreshold ?? 0;
  const entries = [...counts].filter(([, n]) => n >= threshold);
  entries.sort((a, b) => b[1] - a[1] || compareCodePoints(b[0], a[0]));
  const kept = options.topK === undefined ? entries : entries.slice(0, options.topK);
  return kept.map(([token]) => token);
}

/**
 * Code point order (= UTF-8 byte order). JavaScript's `<` compares UTF-16 code units, which
 * disagrees only when a surrogate pair meets a character in U+E000..U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const surrogate = (c: number) => c >= 0xd800 && c <= 0xdfff;
    if (surrogate(x) || surrogate(y)) return a.codePointAt(i)! - b.codePointAt(i)!;
    return x - y;
  }
  return a.length - b.length;
}
