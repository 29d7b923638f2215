import type { BenchResult } from './types';

function formatValue(value: number | string): string {
  return typeof value === 'number' ? value.toLocaleString('en-US', { maximumFractionDigits: 3 }) : value;
}

/** One block per bench: figure names left, values right-aligned, notes underneath. */
export function formatResults(results: readonly BenchResult[]): string {
  return results
    .map((result) => {
      const rows = Object.entries(result.figures).map(([name, value]) => [name, formatValue(value)]);
      const nameWidth = Math.max(...rows.map(([name]) => name.length), 0);
      const valueWidth = Math.max(...rows.map(([, value]) => value.length), 0);
      const lines = rows.map(([name, value]) => `  ${name.padEnd(nameWidth)}  ${value.padStart(valueWidth)}`);
      const notes = (result.notes ?? []).map((note) => `  - ${note}`);
      return [`${result.name}`, `  ${'-'.repeat(nameWidth + valueWidth + 2)}`, ...lines, ...notes].join('\n');
    })
    .join('\n\n');
}
