import type { Disparity } from './report';

/**
 * Fairlearn's between-group and to-overall disparities of one metric: difference = max − min,
 * ratio = min / max, differenceToOverall = max |group − overall|, ratioToOverall = the smallest
 * min(group / overall, overall / group). Null when fewer than two groups have a value, or when a
 * ratio would divide by 0 (two zeros count as equal).
 */
export function disparity(groupValues: readonly (number | null)[], overall: number | null): Disparity {
  const values = groupValues.filter((v): v is number => v !== null);
  if (values.length < 2) return { difference: null, ratio: null, differenceToOverall: null, ratioToOverall: null };
  const min = Math.min(...values);
  const max = Math.max(...values);
  return {
    difference: max - min,
    ratio: max === 0 ? null : min / max,
    differenceToOverall: overall === null ? null : Math.max(...values.map((v) => Math.abs(v - overall))),
    ratioToOverall: overall === null ? null : Math.min(...values.map((v) => closeness(v, overall))),
  };
}

function closeness(a: number, b: number): number {
  if (a === b) return 1;
  if (a === 0 || b === 0) return 0;
  return Math.min(a / b, b / a);
}
