import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LoggedArtifacts } from '../../../src/core/tracking/artifacts';
import { TrackingIngest } from '../../../src/core/tracking/ingest';
import { parseTrackingLine } from '../../../src/core/tracking/protocol';
import type { MetricPoint } from '../../../src/core/store/types';

const problem = (line: string) => {
  const parsed = parseTrackingLine(line);
  return 'problem' in parsed ? parsed.problem : undefined;
};

describe('tracking protocol', () => {
  it('reads metrics with their step and time, parameters and tags as text', () => {
    assert.deepEqual(parseTrackingLine('{"type":"metrics","values":{"loss":0.5,"auc":1},"step":2,"at":1700000000000}'), {
      record: { type: 'metrics', values: { loss: 0.5, auc: 1 }, step: 2, at: 1700000000000 },
      skipped: [],
    });
    assert.deepEqual(parseTrackingLine('{"type":"params","values":{"lr":0.01,"name":"dnn","layers":[64,32]}}'), {
      record: { type: 'params', values: { lr: '0.01', name: 'dnn', layers: '[64,32]' } },
      skipped: [],
    });
  });

  it('names what is wrong with a line', () => {
    assert.match(problem('{"type":"metrics","values":{"loss":1},"step":-1}')!, /"step" must be a whole number ≥ 0, not -1/);
    assert.match(problem('{"type":"metrics","values":{"loss":1},"step":1.5}')!, /not 1\.5/);
    assert.match(problem('{"type":"metrics","values":[1,2]}')!, /"values" must be an object/);
    assert.match(problem('{"type":"metrics","values":{"":1}}')!, /bad key ""/);
    assert.match(problem('[1]')!, /not a JSON object/);
    assert.match(problem('{"values":{}}')!, /unknown "type" undefined/);
    assert.match(problem('{"type":"model","path":"/m.pt","flavor":"torch"}')!, /model "model": "flavor" must be onnx or tfjs, not "torch"/);
    assert.match(problem('{"type":"artifact"}')!, /an artifact needs its "path"/);
    assert.match(problem('{"type":"model","path":"/m.onnx","flavor":"onnx","signature":[1]}')!, /"signature" must be an object/);
  });
});

describe('tracking ingest', () => {
  it('writes metric points in batches of maxPoints and what is left on close', () => {
    const batches: MetricPoint[][] = [];
    const ingest = new TrackingIngest(
      { logMetrics: (p) => batches.push([...p]), logParams: () => undefined, setTags: () => undefined, log: () => undefined, artifact: () => undefined },
      () => 5,
      { maxPoints: 4, maxDelayMs: 60_000 },
    );
    for (let step = 0; step < 5; step++) ingest.line(JSON.stringify({ type: 'metrics', values: { a: step, b: -step }, step }));
    assert.deepEqual(
      batches.map((b) => b.length),
      [4, 4],
    );
    assert.deepEqual(ingest.close(), { lines: 5, points: 10, problems: 0 });
    assert.deepEqual(
      batches.map((b) => b.length),
      [4, 4, 2],
    );
    assert.deepEqual(batches[2], [
      { key: 'a', value: 4, step: 4, timestamp: 5 },
      { key: 'b', value: -4, step: 4, timestamp: 5 },
    ]);
  });

  it("keeps the first artifact of a name, refuses a second and a declared output's name, resolving paths from the working folder", () => {
    const logged: string[] = [];
    const artifacts = new LoggedArtifacts('/ws/step', new Set(['report']));
    const ingest = new TrackingIngest({
      logMetrics: () => undefined,
      logParams: () => undefined,
      setTags: () => undefined,
      log: (l) => logged.push(l),
      artifact: (r) => artifacts.add(r),
    });
    ingest.line('{"type":"model","path":"out/a.onnx","flavor":"onnx"}');
    ingest.line('{"type":"model","path":"out/b.onnx","flavor":"onnx"}');
    ingest.line('{"type":"artifact","path":"/tmp/x.html","name":"report"}');
    assert.deepEqual(
      artifacts.all.map((a) => [a.name, a.path]),
      [['model', '/ws/step/out/a.onnx']],
    );
    assert.deepEqual(logged, [
      'tracking line 2: model "model" was logged twice: kept /ws/step/out/a.onnx; log the second under another name',
      'tracking line 3: artifact "report" has the name of a declared output: log it under another name',
    ]);
  });

  it('shows the first problems and counts the rest', () => {
    const logged: string[] = [];
    const ingest = new TrackingIngest(
      { logMetrics: () => undefined, logParams: () => undefined, setTags: () => undefined, log: (l) => logged.push(l), artifact: () => undefined },
      Date.now,
      {
        maxProblemsShown: 2,
      },
    );
    for (let i = 0; i < 5; i++) ingest.line('oops');
    assert.deepEqual(ingest.close(), { lines: 5, points: 0, problems: 5 });
    assert.deepEqual(logged, ['tracking line 1: not JSON: oops', 'tracking line 2: not JSON: oops', 'tracking: 3 more problems not shown']);
  });
});
