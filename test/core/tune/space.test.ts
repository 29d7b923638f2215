import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SearchDimension } from '../../../src/core/pipeline/config';
import { applyParams, assertSearchSpace, searchSpaceProblems } from '../../../src/core/tune/space';
import { UserError } from '../../../src/core/util/problems';
import { PIPELINE_FILE, trainConfig } from './support';

function problemsOf(space: Record<string, SearchDimension>, strategy: 'random' | 'hyperband' = 'random') {
  return searchSpaceProblems(trainConfig({ strategy, space }));
}

describe('search space validation', () => {
  it('accepts a space of valid dimensions', () => {
    const problems = problemsOf({
      learning_rate: { kind: 'log', low: 1e-4, high: 1e-2 },
      batch_size: { kind: 'int', low: 32, high: 256, step: 32 },
      'model.hidden': { kind: 'choice', values: [[64, 32], [128]] },
      'model.dropout': { kind: 'uniform', low: 0, high: 0.5 },
      'model.activation': { kind: 'choice', values: ['relu', 'tanh'] },
      'model.batch_norm': { kind: 'choice', values: [true, false] },
      l2: { kind: 'uniform', low: 0, high: 0.01 },
      optimizer: { kind: 'choice', values: ['adam', 'sgd'] },
    });
    assert.deepEqual(problems, []);
  });

  it('points at the dimension for an unknown path, with the closest tunable name', () => {
    const [p, ...rest] = problemsOf({ learning_rat: { kind: 'log', low: 1e-4, high: 1e-2 } });
    assert.equal(rest.length, 0);
    assert.match(p.message, /tune\.space\.learning_rat: is not a train setting that can be tuned/);
    assert.match(p.hint!, /did you mean 'learning_rate'/);
    assert.deepEqual(p.location, { file: PIPELINE_FILE, line: 20, column: 7 });
  });

  it('rejects a choice value of the wrong type, naming the value and what is allowed', () => {
    const [p] = problemsOf({ optimizer: { kind: 'choice', values: ['adam', 'adamw'] } });
    assert.match(p.message, /the choice "adamw" is not one of "adam", "sgd", "momentum", "rmsprop", "adagrad"/);
    const [hidden] = problemsOf({ 'model.hidden': { kind: 'choice', values: [[64, 0]] } });
    assert.match(hidden.message, /the choice \[64,0\] is not allowed: it must be >= 1 \(item 1\)/);
    const [bool] = problemsOf({ 'model.batch_norm': { kind: 'choice', values: ['yes'] } });
    assert.match(bool.message, /must be boolean/);
  });

  it('rejects a numeric range on a setting that is not a number, and a continuous range on a whole-number setting', () => {
    assert.match(problemsOf({ optimizer: { kind: 'uniform', low: 0, high: 1 } })[0].message, /optimizer is not a number: list its values with \{ choice/);
    assert.match(problemsOf({ batch_size: { kind: 'log', low: 16, high: 512 } })[0].message, /batch_size takes whole numbers: use \{ int: \[low, high\] \}/);
  });

  it('rejects low >= high', () => {
    const [p] = problemsOf({ 'model.dropout': { kind: 'uniform', low: 0.5, high: 0.5 } });
    assert.match(p.message, /the low bound 0.5 must be below the high bound 0.5/);
    assert.equal(p.location?.line, 20);
  });

  it('rejects log bounds at or below zero', () => {
    const [p] = problemsOf({ l2: { kind: 'log', low: 0, high: 0.1 } });
    assert.match(p.message, /a log range needs bounds above 0, found \[0, 0.1\]/);
    assert.match(p.hint!, /uniform/);
  });

  it('rejects an empty choice', () => {
    const [p] = problemsOf({ optimizer: { kind: 'choice', values: [] } });
    assert.match(p.message, /a choice needs at least one value/);
  });

  it('rejects bounds outside what the setting takes and a bad int step', () => {
    assert.match(problemsOf({ 'model.dropout': { kind: 'uniform', low: 0, high: 1 } })[0].message, /the high bound 1 is not allowed: it must be < 1/);
    assert.match(problemsOf({ learning_rate: { kind: 'uniform', low: 0, high: 0.1 } })[0].message, /the low bound 0 is not allowed: it must be > 0/);
    assert.match(problemsOf({ batch_size: { kind: 'int', low: 16, high: 64, step: 0 } })[0].message, /the step must be a whole number of at least 1/);
  });

  it('reports every problem, each at its own dimension', () => {
    const problems = problemsOf({ foo: { kind: 'choice', values: [1] }, l2: { kind: 'log', low: -1, high: 1 } });
    assert.deepEqual(
      problems.map((p) => [p.location?.line, /log range needs bounds above 0|not a train setting/.test(p.message)]),
      [
        [20, true],
        [21, true],
      ],
      'one problem per bound: the log rule, not the schema repeating it',
    );
    assert.throws(
      () => assertSearchSpace(trainConfig({ space: { foo: { kind: 'choice', values: [1] } } })),
      (e: unknown) => e instanceof UserError && e.problems.length === 1,
    );
  });

  it('does not let Hyperband tune the epochs it hands out itself', () => {
    assert.deepEqual(problemsOf({ epochs: { kind: 'int', low: 1, high: 5, step: 1 } }, 'random'), []);
    assert.match(problemsOf({ epochs: { kind: 'int', low: 1, high: 5, step: 1 } }, 'hyperband')[0].message, /Hyperband gives each trial its epochs itself/);
  });
});

describe('applyParams', () => {
  it('sets each param by its dot path in a copy, without the tune section', () => {
    const train = trainConfig({ space: { learning_rate: { kind: 'log', low: 1e-4, high: 1e-2 } } });
    const applied = applyParams(train, { learning_rate: 0.003, 'model.hidden': [128], 'model.batch_norm': true, 'model.embedding_dim': 8, batch_size: 64 });
    assert.equal(applied.learningRate, 0.003);
    assert.deepEqual(applied.model.hidden, [128]);
    assert.equal(applied.model.batchNorm, true);
    assert.equal(applied.model.embeddingDim, 8);
    assert.equal(applied.batchSize, 64);
    assert.equal(applied.tune, undefined);
    assert.equal(train.learningRate, 0.001, 'the original settings are untouched');
    assert.deepEqual(train.model.hidden, [64, 32]);
  });

  it('refuses an unknown path or a wrong value, at the dimension', () => {
    const train = trainConfig({ space: { 'model.dropout': { kind: 'uniform', low: 0, high: 0.5 } } });
    assert.throws(
      () => applyParams(train, { 'model.dropout': 'high' }),
      (e: unknown) =>
        e instanceof UserError && /model\.dropout: the value "high" is not allowed: it must be number/.test(e.message) && e.problems[0].location?.line === 20,
    );
    assert.throws(() => applyParams(train, { 'model.width': 3 }), /is not a train setting that can be tuned/);
  });
});
