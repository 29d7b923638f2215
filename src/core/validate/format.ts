/** Number and share formatting exactly as TFDV writes them into anomaly descriptions. */

/**
 * absl::SixDigits: printf's `%g` with 6 significant digits (exponent form below 1e-4 and from 1e6,
 * trailing zeros dropped, two-digit exponent), e.g. 0.0622, 1.23457e+06.
 */
export function sixDigits(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return '0';
  const [mantissa, exp] = x.toExponential(5).split('e');
  const e = Number(exp);
  if (e < -4 || e >= 6) {
    return `${stripZeros(mantissa)}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  return stripZeros(x.toFixed(5 - e));
}

function stripZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** TFDV's PercentageAsString: `<1%` below one percent, else `~N%` with N the floor; `?` without a total. */
export function shareText(count: number, totalCount: number): string {
  if (!(totalCount > 0)) return '?';
  const percent = (100 * count) / totalCount;
  return percent < 1 ? '<1%' : `~${Math.floor(percent)}%`;
}
