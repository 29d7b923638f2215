/**
 * Down-sampling for line charts: a series of 100,000 points is drawn with a few thousand. The x range
 * is cut into equal buckets (one or two per pixel at the budget we use) and each bucket keeps its
 * lowest and highest point, plus the series' first and last point. Unlike LTTB this keeps every
 * extreme, so a loss spike or the best epoch never disappears from the chart; the bound on the
 * point count is exact.
 *
 * Returns the indices to keep, ascending. Non-finite values are never kept (charts cannot draw them).
 */
export function downsampleIndices(steps: ArrayLike<number>, values: ArrayLike<number>, maxPoints: number): number[] {
  const n = steps.length;
  const finite: number[] = [];
  if (n <= maxPoints) {
    for (let i = 0; i < n; i++) if (Number.isFinite(values[i])) finite.push(i);
    return finite;
  }
  if (maxPoints < 1) return [];
  const first = firstFinite(values, 0, 1);
  const last = firstFinite(values, n - 1, -1);
  if (first < 0) return [];
  if (maxPoints < 4 || first === last) return [...new Set([first, last])].slice(0, Math.max(1, maxPoints));
  const buckets = Math.floor((maxPoints - 2) / 2);
  const x0 = steps[first];
  const span = steps[last] - x0;
  const lo = new Int32Array(buckets).fill(-1);
  const hi = new Int32Array(buckets).fill(-1);
  for (let i = first + 1; i < last; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    // Equal x ranges (a pixel column each); all on one step, equal counts instead.
    const position = span > 0 ? (steps[i] - x0) / span : (i - first) / (last - first);
    const b = Math.min(buckets - 1, Math.max(0, Math.floor(position * buckets)));
    if (lo[b] < 0 || v < values[lo[b]]) lo[b] = i;
    if (hi[b] < 0 || v > values[hi[b]]) hi[b] = i;
  }
  const kept = [first];
  for (let b = 0; b < buckets; b++) {
    if (lo[b] < 0) continue;
    // In x order, so the line runs through both extremes of the bucket the way the data does.
    const [a, c] = lo[b] < hi[b] ? [lo[b], hi[b]] : [hi[b], lo[b]];
    kept.push(a);
    if (c !== a) kept.push(c);
  }
  kept.push(last);
  return kept;
}

function firstFinite(values: ArrayLike<number>, from: number, direction: 1 | -1): number {
  for (let i = from; i >= 0 && i < values.length; i += direction) if (Number.isFinite(values[i])) return i;
  return -1;
}

/** The kept points of parallel arrays. */
export function pick<T>(array: ArrayLike<T>, indices: readonly number[]): T[] {
  const out = new Array<T>(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = array[indices[i]];
  return out;
}
