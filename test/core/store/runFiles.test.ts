import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openRaw } from '../../helpers/rawSqlite';
import { contentHash } from '../../../src/core/reproduce/runFiles';
import type { NewRunFile } from '../../../src/core/store';
import { newRun, openTempStore } from './helpers';

function file(path: string, text: string, role: NewRunFile['role'] = 'script'): NewRunFile {
  const bytes = Buffer.from(text);
  return { path, role, hash: contentHash(bytes), bytes };
}

test('a content is stored once however many runs link it, and comes back byte for byte', () => {
  const { store, path } = openTempStore();
  const pipeline = file('/w/taxi.pipeline.yaml', 'pipeline: taxi\n', 'pipeline');
  const first = store.createRun(newRun());
  const second = store.createRun(newRun());
  store.storeRunFiles(first.id, [pipeline, file('/w/train.py', 'print(1)\n')]);
  store.storeRunFiles(second.id, [pipeline, file('/w/train.py', 'print(2)\n')]);

  assert.deepEqual(
    store.runFiles(second.id).map((f) => [f.path, f.role, f.sizeBytes]),
    [
      ['/w/taxi.pipeline.yaml', 'pipeline', 15],
      ['/w/train.py', 'script', 9],
    ],
  );
  const script = store.runFiles(first.id).find((f) => f.role === 'script')!;
  assert.equal(Buffer.from(store.storedContent(script.hash)!).toString(), 'print(1)\n');
  assert.equal(store.storedContent('sha256:none'), undefined);
  store.close();
  const raw = openRaw(path);
  assert.equal(raw.value('SELECT count(*) FROM contents'), 3);
  raw.close();
});

test("deleting a run drops the contents no other run uses, and keeps a reproduction's link to the run as null", () => {
  const { store, path } = openTempStore();
  const shared = file('/w/p.pipeline.yaml', 'pipeline: p\n', 'pipeline');
  const original = store.createRun(newRun());
  store.storeRunFiles(original.id, [shared, file('/w/old.py', 'old')]);
  store.finishRun(original.id, 'complete');
  const reproduction = store.createRun(newRun({ reproducesRunId: original.id }));
  store.storeRunFiles(reproduction.id, [shared]);
  store.finishRun(reproduction.id, 'complete');
  assert.equal(store.getRun(reproduction.id)!.reproducesRunId, original.id);

  store.deleteRun(original.id);
  assert.equal(store.getRun(reproduction.id)!.reproducesRunId, null);
  assert.equal(store.storedContent(file('', 'old').hash), undefined);
  assert.equal(Buffer.from(store.storedContent(shared.hash)!).toString(), 'pipeline: p\n');
  store.close();
  const raw = openRaw(path);
  assert.equal(raw.value('SELECT count(*) FROM contents'), 1);
  raw.close();
});

test('recordedInputs: data a run read, also through a cached execution, the schema file, never what an execution made', () => {
  const { store } = openTempStore();
  const first = store.createRun(newRun());
  const ingest = store.startExecution(first.id, 'ingest', 'ingest', {}, 'k-ingest');
  const data = store.createArtifact({ type: 'DataFile', uri: '/w/data/train.csv' });
  store.publishArtifact(data.id, { contentHash: 'sha256:data', sizeBytes: 10 });
  store.linkArtifact(ingest.id, data.id, 'input', 'train/train.csv');
  const examples = store.createArtifact({ type: 'Examples', uri: '/s/examples' });
  store.publishArtifact(examples.id, { contentHash: 'sha256:examples', sizeBytes: 10 });
  store.linkArtifact(ingest.id, examples.id, 'output', 'examples');
  store.finishExecution(ingest.id, 'complete');
  const schema = store.startExecution(first.id, 'schema', 'schema', {}, 'k-schema');
  store.linkArtifact(schema.id, examples.id, 'input', 'ingest.examples');
  const schemaFile = store.createArtifact({ type: 'Schema', uri: '/w/data-schema.json' });
  store.publishArtifact(schemaFile.id, { contentHash: 'sha256:schema', sizeBytes: 5 });
  store.linkArtifact(schema.id, schemaFile.id, 'output', 'schema');
  store.finishExecution(schema.id, 'complete');
  store.finishRun(first.id, 'complete');

  // The next run reuses ingest from the cache: it records no input of its own.
  const second = store.createRun(newRun());
  const cached = store.startExecution(second.id, 'ingest', 'ingest', {}, 'k-ingest');
  store.linkArtifact(cached.id, examples.id, 'output', 'examples');
  store.finishExecution(cached.id, 'cached');
  store.finishRun(second.id, 'complete');

  const expected = [
    { component: 'ingest', name: 'train/train.csv', type: 'DataFile', uri: '/w/data/train.csv', contentHash: 'sha256:data' },
    { component: 'schema', name: 'schema', type: 'Schema', uri: '/w/data-schema.json', contentHash: 'sha256:schema' },
  ];
  assert.deepEqual(store.recordedInputs(first.id), expected);
  assert.deepEqual(store.recordedInputs(second.id), expected.slice(0, 1));
  store.close();
});

test('componentsWithUnknownInputs: a cached execution whose original was deleted with its run', () => {
  const { store } = openTempStore();
  const data = store.createArtifact({ type: 'DataFile', uri: '/w/data/train.csv' });
  const examples = store.createArtifact({ type: 'Examples', uri: '/a/examples' });
  const first = store.createRun(newRun());
  const ingest = store.startExecution(first.id, 'ingest', 'ingest').id;
  store.linkArtifact(ingest, data.id, 'input', 'train/train.csv');
  store.linkArtifact(ingest, examples.id, 'output', 'examples');
  store.finishExecution(ingest, 'complete');
  store.finishRun(first.id, 'complete');
  const second = store.createRun(newRun());
  const reused = store.startExecution(second.id, 'ingest', 'ingest').id;
  store.linkArtifact(reused, examples.id, 'output', 'examples');
  store.finishExecution(reused, 'cached');
  store.finishRun(second.id, 'complete');
  assert.deepEqual(store.componentsWithUnknownInputs(second.id), [], 'the original is there: its inputs stand in');
  store.deleteRun(first.id);
  assert.deepEqual(store.componentsWithUnknownInputs(second.id), ['ingest']);
  store.close();
});
