import { formatMetric } from '../../src/core/util/format';
import type { CategoricalRow, NumericRow, SortKey } from '../../src/shared/statistics';

/** Table figures: shares as percentages (a tiny non-zero share never reads as 0%), numbers compact. */
export function pct(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '–';
  if (x === 0) return '0%';
  if (x < 0.001) return '<0.1%';
  if (x > 0.999 && x < 1) return '>99.9%';
  return `${(x * 100).toFixed(1).replace(/\.0$/, '')}%`;
}

export function num(x: number | undefined): string {
  if (x === undefined) return '–';
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return x.toLocaleString('en-US');
  return formatMetric(x);
}

export function distance(x: number | null): string {
  return x === null ? '–' : x < 0.0001 && x > 0 ? x.toExponential(1) : x.toFixed(4);
}

type Row = NumericRow | CategoricalRow;

/** The figure a sort key orders by: dataset A's, B's when A lacks the feature. */
export function sortValue(row: Row, key: SortKey): number | string {
  const side = (row.a ?? row.b) as Record<string, unknown> | null;
  switch (key) {
    case 'name':
      return row.name.toLowerCase();
    case 'distance':
      return row.distance ?? -1;
    case 'missing':
      return typeof side?.missing === 'number' ? side.missing : -1;
    case 'zeros':
      return typeof side?.zeros === 'number' ? side.zeros : -1;
    case 'unique':
      return typeof side?.unique === 'number' ? side.unique : -1;
  }
}

export function compareRows(key: SortKey, descending: boolean) {
  return (x: Row, y: Row): number => {
    const a = sortValue(x, key);
    const b = sortValue(y, key);
    const c = typeof a === 'string' || typeof b === 'string' ? String(a).localeCompare(String(b)) : a - b;
    return (descending ? -c : c) || x.name.localeCompare(y.name);
  };
}
