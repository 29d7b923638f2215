/** a / b, or null when b is 0: a metric these rows cannot define (never NaN). */
export function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}
