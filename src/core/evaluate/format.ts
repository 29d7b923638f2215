/** Numbers in slice names and check reasons: six significant digits without trailing zeros (0.951, 1.5, 3). */
export function compactNumber(x: number, digits = 6): string {
  return String(Number(x.toPrecision(digits)));
}

/** For reasons a person reads: a true minus sign, ∞, and `+` on changes so their direction shows. */
export function readableNumber(x: number, signed = false, digits = 6): string {
  const text = Number.isFinite(x) ? compactNumber(x, digits) : x > 0 ? '∞' : '-∞';
  return (signed && x >= 0 ? '+' : '') + text.replace(/-/g, '−');
}
