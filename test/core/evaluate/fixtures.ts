import assert from 'node:assert/strict';
import type { EvaluateConfig, Located } from '../../../src/core/pipeline/config';
import type { EvaluateRequest, EvaluationData, FeatureValue } from '../../../src/core/evaluate/types';
import { UserError, type SourceLocation } from '../../../src/core/util/problems';

export const at = (line: number): SourceLocation => ({ file: 'taxi.pipeline.yaml', line, column: 5 });

export const located = <T>(value: T, line = 1): Located<T> => ({ value, location: at(line) });

export const close = (actual: number | null | undefined, expected: number, tolerance = 1e-12) =>
  assert.ok(typeof actual === 'number' && Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

export const allRows = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

export function settings(overrides: Partial<EvaluateConfig> = {}): EvaluateConfig {
  return { split: 'eval', decisionThreshold: 0.5, slices: [], minSliceSize: 1, thresholds: [], location: at(10), ...overrides };
}

export function binaryData(labels: number[], scores: number[], features: Record<string, FeatureValue[]> = {}, baseline?: number[]): EvaluationData {
  return {
    task: 'binary',
    classes: ['no', 'yes'],
    labels: Float64Array.from(labels),
    candidate: { scores: Float64Array.from(scores) },
    ...(baseline && { baseline: { scores: Float64Array.from(baseline) } }),
    features: new Map(Object.entries(features)),
  };
}

export function request(data: EvaluationData, config: Partial<EvaluateConfig> = {}, seed = 7): EvaluateRequest {
  return {
    data,
    settings: settings(config),
    candidate: { label: 'run #2', uri: '/runs/2/model', weightsHash: 'c' },
    ...(data.baseline && { baseline: { label: 'taxi@1 (production)', uri: '/registry/taxi/1', weightsHash: 'b' } }),
    source: { description: 'split eval of run #2', skippedRows: 0 },
    seed,
  };
}

/** Throws unless `fn` throws a UserError whose message contains every fragment, at the given line. */
export function assertUserError(fn: () => unknown, line: number, ...fragments: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof UserError, `expected a UserError, got ${String(e)}`);
    const problem = e.problems[0];
    assert.equal(problem.location?.line, line);
    const text = `${problem.message} ${problem.hint ?? ''}`;
    for (const f of fragments) assert.ok(text.includes(f), `'${text}' does not mention '${f}'`);
    return true;
  });
}
