import type { SearchDimension } from '../pipeline/config';
import { GRID_POINTS_PER_CONTINUOUS_DIMENSION, type SearchSpace } from './space';
import type { TrialParams } from './types';

/** A value of one dimension, drawn with `random` (uniform on [0, 1)). */
export function sampleDimension(d: SearchDimension, random: () => number): unknown {
  switch (d.kind) {
    case 'choice':
      return structuredClone(d.values[Math.floor(random() * d.values.length)]);
    case 'uniform':
      return d.low + random() * (d.high - d.low);
    case 'log':
      return Math.exp(Math.log(d.low) + random() * (Math.log(d.high) - Math.log(d.low)));
    case 'int':
      return d.low + d.step * Math.floor(random() * intCount(d));
  }
}

/** One trial's params: every dimension drawn in the space's order, so a seed gives the same trials. */
export function sampleParams(space: SearchSpace, random: () => number): TrialParams {
  return Object.fromEntries(Object.entries(space).map(([path, d]) => [path, sampleDimension(d.value, random)]));
}

/**
 * The grid values of one dimension, in increasing order: a choice's values as written, an int
 * range's steps, and for a continuous range GRID_POINTS_PER_CONTINUOUS_DIMENSION points spaced
 * evenly (geometrically for `log`) from low to high, both included.
 */
export function gridValues(d: SearchDimension): unknown[] {
  switch (d.kind) {
    case 'choice':
      return d.values;
    case 'int':
      return Array.from({ length: intCount(d) }, (_, i) => d.low + i * d.step);
    case 'uniform':
    case 'log': {
      const n = GRID_POINTS_PER_CONTINUOUS_DIMENSION;
      const at = (i: number) => (d.kind === 'uniform' ? d.low + ((d.high - d.low) * i) / (n - 1) : d.low * Math.pow(d.high / d.low, i / (n - 1)));
      // Twelve significant digits drop the float noise of the arithmetic (1e-4 · 100^0.5 = 0.0010000000000000002).
      return Array.from({ length: n }, (_, i) => Number(at(i).toPrecision(12)));
    }
  }
}

export function gridSize(space: SearchSpace): number {
  return Object.values(space).reduce((n, d) => n * gridValues(d.value).length, 1);
}

/**
 * Every grid point in order: dimensions in the order the file writes them, the last one changing
 * fastest (like nested loops, or itertools.product).
 */
export function* gridPoints(space: SearchSpace): Generator<TrialParams> {
  const dims = Object.entries(space).map(([path, d]) => ({ path, values: gridValues(d.value) }));
  if (dims.some((d) => d.values.length === 0)) return;
  const index = dims.map(() => 0);
  for (;;) {
    yield Object.fromEntries(dims.map((d, i) => [d.path, structuredClone(d.values[index[i]])]));
    let k = dims.length - 1;
    while (k >= 0 && ++index[k] === dims[k].values.length) index[k--] = 0;
    if (k < 0) return;
  }
}

function intCount(d: { low: number; high: number; step: number }): number {
  return Math.floor((d.high - d.low) / d.step) + 1;
}
