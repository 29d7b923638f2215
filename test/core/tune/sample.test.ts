import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SearchDimension } from '../../../src/core/pipeline/config';
import { hyperbandBrackets } from '../../../src/core/tune/hyperband';
import { gridPoints, gridSize, gridValues, sampleDimension, sampleParams } from '../../../src/core/tune/sample';
import { mulberry32 } from '../../../src/core/util/random';
import { trainConfig } from './support';

const draws = (d: SearchDimension, n: number, seed = 1) => {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => sampleDimension(d, random) as number);
};

describe('sampling', () => {
  const space = trainConfig({
    space: {
      learning_rate: { kind: 'log', low: 1e-4, high: 1e-1 },
      'model.hidden': { kind: 'choice', values: [[64, 32], [128], [32]] },
      batch_size: { kind: 'int', low: 16, high: 128, step: 16 },
    },
  }).tune!.space;

  it('repeats exactly with the same seed and differs with another', () => {
    const a = Array.from(
      { length: 5 },
      (
        (r) => () =>
          sampleParams(space, r)
      )(mulberry32(42)),
    );
    const b = Array.from(
      { length: 5 },
      (
        (r) => () =>
          sampleParams(space, r)
      )(mulberry32(42)),
    );
    const c = Array.from(
      { length: 5 },
      (
        (r) => () =>
          sampleParams(space, r)
      )(mulberry32(43)),
    );
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  it('draws uniform values within [low, high)', () => {
    const values = draws({ kind: 'uniform', low: 0.1, high: 0.5 }, 2000);
    assert.ok(values.every((v) => v >= 0.1 && v < 0.5));
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    assert.ok(Math.abs(mean - 0.3) < 0.01, `mean ${mean}`);
  });

  it('draws log-uniform values: as many in each decade', () => {
    const values = draws({ kind: 'log', low: 1e-4, high: 1e-1 }, 3000);
    assert.ok(values.every((v) => v >= 1e-4 && v < 1e-1));
    const perDecade = [0, 0, 0];
    for (const v of values) perDecade[Math.floor(Math.log10(v) + 4)]++;
    // Uniform in log space: about 1000 per decade (a plain uniform draw would put ~900 of 1000 in the last).
    for (const n of perDecade) assert.ok(n > 900 && n < 1100, `per decade ${perDecade}`);
  });

  it('draws int values on the step grid, every one of them, including high', () => {
    const values = draws({ kind: 'int', low: 16, high: 128, step: 16 }, 800);
    assert.ok(values.every((v) => Number.isInteger(v) && (v - 16) % 16 === 0 && v >= 16 && v <= 128));
    assert.deepEqual(
      [...new Set(values)].sort((a, b) => a - b),
      [16, 32, 48, 64, 80, 96, 112, 128],
    );
    assert.deepEqual(
      [...new Set(draws({ kind: 'int', low: 1, high: 10, step: 4 }, 300))].sort((a, b) => a - b),
      [1, 5, 9],
    );
  });

  it('draws choices as copies of the written values', () => {
    const values = draws({ kind: 'choice', values: [[64, 32], [128]] }, 200) as unknown as number[][];
    assert.deepEqual(new Set(values.map((v) => JSON.stringify(v))), new Set(['[64,32]', '[128]']));
  });
});

describe('grid', () => {
  it('enumerates dimensions in file order, the last changing fastest', () => {
    const space = trainConfig({
      space: {
        optimizer: { kind: 'choice', values: ['adam', 'sgd'] },
        batch_size: { kind: 'int', low: 32, high: 96, step: 32 },
      },
    }).tune!.space;
    assert.equal(gridSize(space), 6);
    assert.deepEqual(
      [...gridPoints(space)].map((p) => `${p.optimizer}/${p.batch_size}`),
      ['adam/32', 'adam/64', 'adam/96', 'sgd/32', 'sgd/64', 'sgd/96'],
    );
  });

  it('puts three points on a continuous range: both ends and the middle (geometric for log)', () => {
    assert.deepEqual(gridValues({ kind: 'uniform', low: 0, high: 0.5 }), [0, 0.25, 0.5]);
    assert.deepEqual(gridValues({ kind: 'log', low: 1e-4, high: 1e-2 }), [1e-4, 1e-3, 1e-2]);
    assert.deepEqual(gridValues({ kind: 'int', low: 2, high: 9, step: 3 }), [2, 5, 8]);
  });
});

describe('Hyperband brackets', () => {
  it('match Li et al. (Table 1: R = 81, eta = 3)', () => {
    const shape = hyperbandBrackets(81, 3).map((b) => b.rungs.map((r) => [r.trials, r.epochs]));
    assert.deepEqual(shape, [
      [
        [81, 1],
        [27, 3],
        [9, 9],
        [3, 27],
        [1, 81],
      ],
      [
        [34, 3],
        [11, 9],
        [3, 27],
        [1, 81],
      ],
      [
        [15, 9],
        [5, 27],
        [1, 81],
      ],
      [
        [8, 27],
        [2, 81],
      ],
      [[5, 81]],
    ]);
  });

  it('round budgets that eta does not divide, and always end at max epochs', () => {
    const brackets = hyperbandBrackets(10, 3);
    assert.deepEqual(
      brackets.map((b) => b.rungs.map((r) => r.epochs)),
      [[1, 3, 10], [3, 10], [10]],
    );
    assert.deepEqual(
      hyperbandBrackets(1, 3).map((b) => b.rungs),
      [[{ trials: 1, epochs: 1 }]],
    );
  });
});
