import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DataSchema } from '../../../src/core/schema/types';
import { fitTransform } from '../../../src/core/transform/fit';
import { fnv1a32 } from '../../../src/core/transform/hash';
import { transformRows } from '../../../src/core/transform/row';
import type { FittedFeature, FittedTransform, RawRow } from '../../../src/core/transform/types';
import { column, examplesOf, settings } from './helpers';

function feature(fitted: FittedTransform, name: string): FittedFeature {
  const f = fitted.features.find((x) => (x.kind === 'cross' ? x.name : x.column) === name);
  assert.ok(f, `no feature ${name}`);
  return f;
}

const numericOut = (fitted: FittedTransform, rows: RawRow[]) => Array.from(transformRows(fitted, rows).numeric);
const idsOut = (fitted: FittedTransform, rows: RawRow[]) => Array.from(transformRows(fitted, rows).categorical);
const close = (actual: number[], expected: number[]) => {
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]) < 1e-6, `[${i}] ${a} vs ${expected[i]}`));
};

describe('numeric analyzers', () => {
  it('z-scores with the mean and the population standard deviation, filling missing values with the mean', async () => {
    const examples = await examplesOf({ x: 'float' }, { train: column([1, 2, 3, 4, null]) });
    const fitted = await fitTransform(examples, settings());
    const std = Math.sqrt(1.25);
    assert.deepEqual(feature(fitted, 'x'), { kind: 'numeric', column: 'x', slot: 0, fill: 2.5, log: false, scale: { type: 'zscore', mean: 2.5, std } });
    close(numericOut(fitted, [{ x: 1 }, { x: 4 }, { x: null }, {}, { x: '6' }]), [-1.5 / std, 1.5 / std, 0, 0, 3.5 / std]);
  });

  it('centres only when the standard deviation is 0', async () => {
    const examples = await examplesOf({ x: 'int' }, { train: column([5, 5, 5, 5]) });
    const fitted = await fitTransform(examples, settings());
    assert.deepEqual(feature(fitted, 'x'), { kind: 'numeric', column: 'x', slot: 0, fill: 5, log: false, scale: { type: 'zscore', mean: 5, std: 0 } });
    close(numericOut(fitted, [{ x: 5 }, { x: 7 }, { x: 2 }]), [0, 2, -3]);
  });

  it('scales to [0, 1] with min-max, and to 0 when max equals min', async () => {
    const examples = await examplesOf(
      { x: 'float', c: 'float' },
      {
        train: [
          [2, 3],
          [4, 3],
          [6, 3],
          [null, null],
        ],
      },
    );
    const fitted = await fitTransform(
      examples,
      settings({
        features: [
          { kind: 'numeric', column: 'x', fill: 'zero', log: false, scale: 'minmax' },
          { kind: 'numeric', column: 'c', fill: 'mean', log: false, scale: 'minmax' },
        ],
      }),
    );
    assert.deepEqual(feature(fitted, 'x'), { kind: 'numeric', column: 'x', slot: 0, fill: 0, log: false, scale: { type: 'minmax', min: 2, max: 6 } });
    close(
      numericOut(fitted, [
        { x: 2, c: 3 },
        { x: 5, c: 10 },
        { x: null, c: null },
        { x: 10, c: 0 },
      ]),
      [0, 0, 0.75, 0, -0.5, 0, 2, 0],
    );
  });

  it('applies ln(1 + x) before the scale, with statistics of the logged values', async () => {
    const e = Math.E;
    const examples = await examplesOf({ x: 'float' }, { train: column([0, e - 1, e * e - 1, null]) });
    const fitted = await fitTransform(examples, settings({ features: [{ kind: 'numeric', column: 'x', fill: 'zero', log: true, scale: 'none' }] }));
    const f = feature(fitted, 'x');
    assert.deepEqual(f, { kind: 'numeric', column: 'x', slot: 0, fill: 0, log: true, scale: { type: 'none' } });
    close(numericOut(fitted, [{ x: 0 }, { x: e - 1 }, { x: null }, { x: -(e - 1) }]), [0, 1, 0, -1]);
    const zscored = await fitTransform(examples, settings({ features: [{ kind: 'numeric', column: 'x', fill: 'zero', log: true, scale: 'zscore' }] }));
    const scale = (feature(zscored, 'x') as Extract<FittedFeature, { kind: 'numeric' }>).scale;
    assert.equal(scale.type, 'zscore');
    if (scale.type === 'zscore') {
      assert.ok(Math.abs(scale.mean - 1) < 1e-12);
      assert.ok(Math.abs(scale.std - Math.sqrt(2 / 3)) < 1e-12);
    }
  });

  it('fills with the mean, the median, zero or a constant', async () => {
    const examples = await examplesOf(
      { a: 'float', b: 'float', c: 'float', d: 'float' },
      {
        train: [
          [1, 1, 1, 1],
          [2, 2, 2, 2],
          [3, 3, 3, 3],
          [10, 10, 10, 10],
          [null, null, null, null],
        ],
      },
    );
    const fitted = await fitTransform(
      examples,
      settings({
        features: [
          { kind: 'numeric', column: 'a', fill: 'mean', log: false, scale: 'none' },
          { kind: 'numeric', column: 'b', fill: 'median', log: false, scale: 'none' },
          { kind: 'numeric', column: 'c', fill: 'zero', log: false, scale: 'none' },
          { kind: 'numeric', column: 'd', fill: -1, log: false, scale: 'none' },
        ],
      }),
    );
    assert.deepEqual(
      fitted.features.map((f) => (f.kind === 'numeric' ? f.fill : undefined)),
      [4, 2.5, 0, -1],
    );
    assert.deepEqual(numericOut(fitted, [{}]), [4, 2.5, 0, -1]);
    assert.deepEqual(numericOut(fitted, [{ a: 'nan', b: 'inf', c: '', d: null }]), [4, 2.5, 0, -1], 'non-finite values are filled too');
  });
});

describe('categorical analyzers', () => {
  const words = ['b', 'a', 'c', 'a', 'b', 'a', 'c', 'd', 'e', null];

  it('builds the vocabulary in TFT order and maps unknown tokens to OOV buckets', async () => {
    const examples = await examplesOf({ s: 'string' }, { train: column(words) });
    const fitted = await fitTransform(examples, settings({ features: [{ kind: 'vocabulary', column: 's', oovBuckets: 3 }] }));
    assert.deepEqual(feature(fitted, 's'), { kind: 'vocabulary', column: 's', slot: 0, vocabulary: ['a', 'c', 'b', 'e', 'd'], oovBuckets: 3 });
    assert.deepEqual(fitted.layout.categorical, [{ name: 's', size: 8, encoding: 'onehot' }]);
    const oov = (token: string) => 5 + (fnv1a32(token) % 3);
    assert.deepEqual(idsOut(fitted, [{ s: 'a' }, { s: 'd' }, { s: 'zzz' }, { s: 'q' }, { s: null }]), [0, 4, oov('zzz'), oov('q'), -1]);
    assert.ok([oov('zzz'), oov('q')].every((id) => id >= 5 && id < 8));
  });

  it('applies top_k and frequency_threshold, and gives -1 for unknown tokens without OOV buckets', async () => {
    const examples = await examplesOf({ s: 'string' }, { train: column(words) });
    const fitted = await fitTransform(examples, settings({ features: [{ kind: 'vocabulary', column: 's', topK: 2, frequencyThreshold: 2, oovBuckets: 0 }] }));
    assert.deepEqual(feature(fitted, 's'), { kind: 'vocabulary', column: 's', slot: 0, vocabulary: ['a', 'c'], oovBuckets: 0 });
    assert.equal(fitted.layout.categorical[0].size, 2);
    assert.deepEqual(idsOut(fitted, [{ s: 'a' }, { s: 'c' }, { s: 'b' }]), [0, 1, -1]);
  });

  it('builds vocabularies of int and bool columns from their values as text', async () => {
    const examples = await examplesOf(
      { n: 'int', ok: 'bool' },
      {
        train: [
          [7, true],
          [7, false],
          [12, true],
          [3, true],
          [null, null],
        ],
      },
    );
    const fitted = await fitTransform(
      examples,
      settings({
        features: [
          { kind: 'vocabulary', column: 'n', oovBuckets: 0 },
          { kind: 'vocabulary', column: 'ok', oovBuckets: 0 },
        ],
      }),
    );
    assert.deepEqual((feature(fitted, 'n') as { vocabulary: string[] }).vocabulary, ['7', '3', '12']);
    assert.deepEqual((feature(fitted, 'ok') as { vocabulary: string[] }).vocabulary, ['true', 'false']);
    assert.deepEqual(
      idsOut(fitted, [
        { n: '12', ok: 'false' },
        { n: 7, ok: true },
      ]),
      [2, 1, 0, 0],
    );
  });

  it('bucketizes at quantile boundaries, a value on a boundary going up', async () => {
    const examples = await examplesOf(
      { x: 'int', few: 'int' },
      {
        train: [
          [1, 0],
          [2, 0],
          [3, 0],
          [4, 1],
          [5, 1],
          [6, null],
          [7, null],
          [8, null],
        ],
      },
    );
    const fitted = await fitTransform(
      examples,
      settings({
        features: [
          { kind: 'bucketize', column: 'x', buckets: 4, fill: 'median' },
          { kind: 'bucketize', column: 'few', buckets: 4, fill: 'zero' },
        ],
      }),
    );
    assert.deepEqual(feature(fitted, 'x'), { kind: 'bucketize', column: 'x', slot: 0, fill: 4.5, boundaries: [3, 5, 7] });
    assert.deepEqual(feature(fitted, 'few'), { kind: 'bucketize', column: 'few', slot: 1, fill: 0, boundaries: [1] });
    assert.deepEqual(
      fitted.layout.categorical.map((c) => c.size),
      [4, 2],
    );
    assert.deepEqual(
      idsOut(fitted, [
        { x: 2.9, few: 1 },
        { x: 3, few: 0.5 },
        { x: 7, few: null },
        { x: null, few: 9 },
      ]),
      [0, 1, 1, 0, 3, 0, 1, 1],
    );
  });

  it('hashes a column into buckets and crosses columns into a new feature', async () => {
    const examples = await examplesOf(
      { pay: 'string', hour: 'int' },
      {
        train: [
          ['Cash', 7],
          ['Card', 8],
        ],
      },
    );
    const fitted = await fitTransform(
      examples,
      settings({
        features: [
          { kind: 'hash', column: 'pay', buckets: 10 },
          { kind: 'cross', name: 'pay_x_hour', columns: ['pay', 'hour'], buckets: 50 },
        ],
      }),
    );
    assert.deepEqual(feature(fitted, 'pay_x_hour'), { kind: 'cross', name: 'pay_x_hour', columns: ['pay', 'hour'], slot: 1, buckets: 50 });
    assert.deepEqual(
      fitted.layout.categorical.map((c) => [c.name, c.size]),
      [
        ['pay', 10],
        ['pay_x_hour', 50],
      ],
    );
    assert.deepEqual(
      fitted.layout.numeric.map((c) => c.name),
      ['hour'],
      'the crossed int column is still a numeric input of its own',
    );
    const ids = idsOut(fitted, [
      { pay: 'Cash', hour: 7 },
      { pay: 'Cash', hour: null },
      { pay: null, hour: 7 },
    ]);
    assert.deepEqual(ids, [fnv1a32('Cash') % 10, fnv1a32('Cash_X_7') % 50, fnv1a32('Cash') % 10, -1, -1, -1]);
  });
});

describe('defaults and layout', () => {
  it('gives each unnamed input its type default and leaves out the label, serving exclusions and drops', async () => {
    const examples = await examplesOf(
      { fare: 'float', hour: 'int', zone: 'int', pay: 'string', ok: 'bool', tips: 'float', id: 'int', y: 'bool' },
      {
        train: [
          [10, 1, 5, 'Cash', true, 1, 1, true],
          [20, 2, 6, 'Card', false, 2, 2, false],
          [30, 3, 5, 'Cash', null, 3, 3, true],
          [null, 4, 7, null, true, 4, 4, false],
        ],
      },
    );
    const schema: DataSchema = { version: 1, features: { zone: { type: 'int', categorical: true } } };
    const fitted = await fitTransform(examples, settings({ label: 'y', servingExclude: ['tips', 'y'], features: [{ kind: 'drop', column: 'id' }] }), {
      schema,
    });
    assert.deepEqual(
      fitted.inputs.map((i) => [i.name, i.type, i.required]),
      [
        ['fare', 'float', false],
        ['hour', 'int', false],
        ['zone', 'int', false],
        ['pay', 'string', false],
        ['ok', 'bool', false],
      ],
    );
    assert.deepEqual(
      fitted.features.map((f) => [f.kind, f.slot]),
      [
        ['numeric', 0],
        ['numeric', 1],
        ['vocabulary', 0],
        ['vocabulary', 1],
        ['bool', 2],
      ],
    );
    assert.deepEqual(feature(fitted, 'zone'), { kind: 'vocabulary', column: 'zone', slot: 0, vocabulary: ['5', '7', '6'], oovBuckets: 1 });
    assert.deepEqual(feature(fitted, 'pay'), { kind: 'vocabulary', column: 'pay', slot: 1, vocabulary: ['Cash', 'Card'], oovBuckets: 1 });
    assert.deepEqual(feature(fitted, 'ok'), { kind: 'bool', column: 'ok', slot: 2, fill: 2 / 3 });
    assert.deepEqual(
      fitted.layout.numeric.map((n) => n.name),
      ['fare', 'hour', 'ok'],
    );
    assert.deepEqual(fitted.fittedOn, { split: 'train', rows: 4 });
    assert.deepEqual(
      numericOut(fitted, [{ ok: 'true' }, { ok: false }, {}]).filter((_, i) => i % 3 === 2),
      [1, 0, Math.fround(2 / 3)],
    );
  });

  it('encodes up to 32 ids one-hot and more as an embedding of the spec, model or default width', async () => {
    const values = Array.from({ length: 40 }, (_, i) => `v${i}`);
    const examples = await examplesOf({ a: 'string', b: 'string', c: 'string', d: 'string' }, { train: values.map((v, i) => [v, v, v, `w${i % 31}`]) });
    const specs = settings({
      features: [
        { kind: 'vocabulary', column: 'b', oovBuckets: 1, embeddingDim: 5 },
        { kind: 'vocabulary', column: 'c', oovBuckets: 1, encoding: 'onehot' },
      ],
    });
    const fitted = await fitTransform(examples, specs);
    assert.deepEqual(fitted.layout.categorical, [
      { name: 'a', size: 41, encoding: 'embedding', embeddingDim: Math.ceil(6 * 41 ** 0.25) },
      { name: 'b', size: 41, encoding: 'embedding', embeddingDim: 5 },
      { name: 'c', size: 41, encoding: 'onehot' },
      { name: 'd', size: 32, encoding: 'onehot' },
    ]);
    const withModelDim = await fitTransform(examples, { ...specs, train: { ...specs.train!, model: { embeddingDim: 12 } } });
    assert.deepEqual(
      withModelDim.layout.categorical.map((c) => c.embeddingDim),
      [12, 5, undefined, undefined],
    );
    const huge = await examplesOf({ h: 'string' }, { train: column(['x']) });
    const hashed = await fitTransform(huge, settings({ features: [{ kind: 'hash', column: 'h', buckets: 100000 }] }));
    assert.equal(hashed.layout.categorical[0].embeddingDim, 16, 'the default width is capped at 16');
  });
});
