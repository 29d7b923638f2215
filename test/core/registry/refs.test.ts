import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { baselineVersion, newVersionFromRun, parseModelRef, resolveModelRef } from '../../../src/core/registry';
import { isUserError } from '../../../src/core/util/problems';
import { cachedRun, openTempStore, trainedRun } from './helpers';

function userError(pattern: RegExp): (e: unknown) => boolean {
  return (e) => {
    assert.ok(isUserError(e), `expected a UserError, got ${String(e)}`);
    assert.match(e.message, pattern);
    return true;
  };
}

test('parseModelRef reads run ids, versions, aliases and bare model names', () => {
  assert.deepEqual(parseModelRef('12'), { kind: 'run', runId: 12 });
  assert.deepEqual(parseModelRef(' #12 '), { kind: 'run', runId: 12 });
  assert.deepEqual(parseModelRef('taxi@3'), { kind: 'version', model: 'taxi', version: 3 });
  assert.deepEqual(parseModelRef('taxi-tipper@staging'), { kind: 'alias', model: 'taxi-tipper', alias: 'staging' });
  assert.deepEqual(parseModelRef('taxi'), { kind: 'alias', model: 'taxi', alias: 'production' });
  assert.deepEqual(parseModelRef('12@production'), { kind: 'alias', model: '12', alias: 'production' });
});

test('parseModelRef rejects anything else with the accepted forms', () => {
  for (const text of ['', '#', '0', '#0', 'taxi@', '@3', 'taxi@0', 'taxi@3x', 'taxi@-x', '.taxi', 'ta xi', 'taxi@prod@1']) {
    assert.throws(() => parseModelRef(text), userError(/does not name a model[\s\S]*12 or #12[\s\S]*taxi@3[\s\S]*taxi@production/), text);
  }
});

test("a run id resolves to the run's model with its blessing and evaluation", () => {
  const { store } = openTempStore();
  const run = trainedRun(store, { blessed: false });
  assert.deepEqual(resolveModelRef(store, { kind: 'run', runId: run.runId }), {
    label: `run #${run.runId}`,
    uri: run.modelUri,
    weightsHash: run.weightsHash,
    task: 'binary',
    runId: run.runId,
    blessed: false,
    evaluationUri: run.evaluationUri,
  });
  const unevaluated = trainedRun(store);
  const resolved = resolveModelRef(store, { kind: 'run', runId: unevaluated.runId });
  assert.equal(resolved.blessed, null);
  assert.equal(resolved.evaluationUri, null);
  store.close();
});

test('a run whose train step was cached resolves to the reused model', () => {
  const { store } = openTempStore();
  const original = trainedRun(store, { blessed: true });
  const cached = cachedRun(store, original);
  const resolved = resolveModelRef(store, { kind: 'run', runId: cached });
  assert.equal(resolved.uri, original.modelUri);
  assert.equal(resolved.weightsHash, original.weightsHash);
  assert.equal(resolved.blessed, null, 'the blessing belongs to the run that evaluated it');
  store.close();
});

test('the blessing file answers when the artifact has no blessed property', () => {
  const { store } = openTempStore();
  const run = trainedRun(store);
  const evaluate = store.startExecution(run.runId, 'evaluate', 'evaluate');
  store.linkArtifact(evaluate.id, run.modelArtifactId, 'input', 'train.model');
  const uri = path.join(path.dirname(run.modelUri), 'blessing');
  fs.mkdirSync(uri);
  fs.writeFileSync(path.join(uri, 'blessing.json'), JSON.stringify({ blessed: true }));
  const blessing = store.createArtifact({ type: 'ModelBlessing', uri });
  store.publishArtifact(blessing.id, { contentHash: 'sha256:b', sizeBytes: 1 });
  store.linkArtifact(evaluate.id, blessing.id, 'output', 'blessing');
  const resolved = resolveModelRef(store, { kind: 'run', runId: run.runId });
  assert.equal(resolved.blessed, true);
  assert.equal(resolved.evaluationUri, uri);
  store.close();
});

test('an unknown run or a run without a model is an error naming runs that have one', () => {
  const { store } = openTempStore();
  assert.throws(() => resolveModelRef(store, { kind: 'run', runId: 5 }), userError(/no run #5[\s\S]*no run has trained a model yet/));
  const trained = trainedRun(store);
  const empty = store.createRun({ pipelineName: 'taxi', pipelineFile: 'taxi.yaml', pipelineHash: 'h', toolVersion: '0' });
  store.finishRun(empty.id, 'failed', 'boom');
  assert.throws(
    () => resolveModelRef(store, { kind: 'run', runId: empty.id }),
    userError(new RegExp(`run #${empty.id} has no model[\\s\\S]*#${trained.runId}`)),
  );
  store.close();
});

test('versions and aliases resolve through the registry; unknown ones list what exists', () => {
  const { store } = openTempStore();
  const run = trainedRun(store, { blessed: true });
  store.registerModelVersion({ ...newVersionFromRun(store, run.runId, 'taxi') });
  store.registerModelVersion({ ...newVersionFromRun(store, run.runId, 'taxi'), weightsHash: 'sha256:other' });
  store.setModelAlias('taxi', 'production', 1, { reason: 'first', forced: false });
  assert.deepEqual(resolveModelRef(store, parseModelRef('taxi')), {
    label: 'taxi@1 (production)',
    uri: run.modelUri,
    weightsHash: run.weightsHash,
    task: 'binary',
    runId: run.runId,
    model: 'taxi',
    version: 1,
    blessed: true,
    evaluationUri: run.evaluationUri,
  });
  assert.equal(resolveModelRef(store, parseModelRef('taxi@2')).label, 'taxi@2');
  assert.throws(() => resolveModelRef(store, parseModelRef('taxi@9')), userError(/no version 9[\s\S]*are 1, 2/));
  assert.throws(() => resolveModelRef(store, parseModelRef('taxi@staging')), userError(/no alias 'staging'[\s\S]*production \(version 1\)/));
  assert.throws(() => resolveModelRef(store, parseModelRef('penguins')), userError(/no model 'penguins'[\s\S]*the models are taxi/));
  store.close();
});

test('newVersionFromRun takes the evaluation metrics, else the final training metrics, without prefixes', () => {
  const { store } = openTempStore();
  const evaluated = trainedRun(store, { blessed: true, evalMetrics: { auc: 0.93, accuracy: 0.88 }, finalMetrics: { loss: 0.3 } });
  assert.deepEqual(newVersionFromRun(store, evaluated.runId, 'taxi'), {
    model: 'taxi',
    runId: evaluated.runId,
    uri: evaluated.modelUri,
    weightsHash: evaluated.weightsHash,
    task: 'binary',
    blessed: true,
    evaluationUri: evaluated.evaluationUri,
    metrics: { accuracy: 0.88, auc: 0.93 },
  });
  const trainedOnly = trainedRun(store, { finalMetrics: { loss: 0.4, val_auc: 0.81 } });
  assert.deepEqual(newVersionFromRun(store, trainedOnly.runId, 'taxi').metrics, { loss: 0.4, val_auc: 0.81 });
  store.close();
});

test('the baseline is the production version, else the newest blessed one, else none', () => {
  const { store } = openTempStore();
  assert.equal(baselineVersion(store, 'taxi'), undefined);
  const register = (blessed: boolean | null) => store.registerModelVersion({ ...newVersionFromRun(store, trainedRun(store).runId, 'taxi'), blessed });
  register(null);
  assert.equal(baselineVersion(store, 'taxi'), undefined, 'never evaluated is no baseline');
  register(true);
  register(true);
  register(false);
  assert.equal(baselineVersion(store, 'taxi')?.version, 3);
  store.setModelAlias('taxi', 'production', 2, { reason: 'chosen', forced: false });
  assert.equal(baselineVersion(store, 'taxi')?.version, 2);
  store.close();
});
