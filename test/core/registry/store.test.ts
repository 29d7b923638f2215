import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openRaw } from '../../helpers/rawSqlite';
import type { NewModelVersion } from '../../../src/core/registry';
import { RunStore } from '../../../src/core/store';
import { MIGRATIONS, STORE_VERSION } from '../../../src/core/store/migrations';
import { isUserError } from '../../../src/core/util/problems';
import { FakeClock, openTempStore, tempDir, trainedRun } from './helpers';

function userError(pattern: RegExp): (e: unknown) => boolean {
  return (e) => {
    assert.ok(isUserError(e), `expected a UserError, got ${String(e)}`);
    assert.match(e.message, pattern);
    return true;
  };
}

function version(overrides: Partial<NewModelVersion> = {}): NewModelVersion {
  return {
    model: 'taxi',
    runId: null,
    uri: '/s/model',
    weightsHash: 'sha256:w1',
    task: 'binary',
    blessed: true,
    evaluationUri: '/s/evaluation',
    metrics: { auc: 0.9 },
    ...overrides,
  };
}

test('a store made by migrations 1-2 upgrades to the registry and keeps its runs', () => {
  const storePath = path.join(tempDir(), 'store.sqlite');
  const raw = openRaw(storePath);
  for (const step of MIGRATIONS.filter((m) => m.version <= 2)) raw.exec(step.sql);
  raw.exec('PRAGMA user_version = 2');
  raw.exec(`INSERT INTO pipelines (name, file, created_at) VALUES ('taxi', 'taxi.yaml', 1);
    INSERT INTO runs (pipeline_id, pipeline_file, status, started_at, pipeline_hash, tool_version) VALUES (1, 'taxi.yaml', 'complete', 1, 'h', '0.1.0');`);
  raw.close();

  const store = RunStore.open(storePath);
  assert.equal(store['ctx'].pragma('user_version'), STORE_VERSION);
  assert.equal(store.getRun(1)?.status, 'complete');
  const v1 = store.registerModelVersion(version({ runId: 1 }));
  assert.equal(v1.runId, 1);
  assert.deepEqual(
    store.listModels().map((m) => m.name),
    ['taxi'],
  );
  assert.deepEqual(store.integrityCheck(), []);
  store.close();
});

test('migration 7 marks the rollbacks a store already recorded by their reason', () => {
  const storePath = path.join(tempDir(), 'store.sqlite');
  const raw = openRaw(storePath);
  for (const step of MIGRATIONS.filter((m) => m.version <= 6)) raw.exec(step.sql);
  raw.exec('PRAGMA user_version = 6');
  raw.exec(`INSERT INTO models (name, created_at) VALUES ('taxi', 1);
    INSERT INTO alias_history (model, alias, from_version, to_version, at, reason, forced) VALUES
      ('taxi', 'production', NULL, 1, 1, 'pushed by run #1', 0),
      ('taxi', 'production', 1, 2, 2, 'pushed by run #2', 0),
      ('taxi', 'production', 2, 1, 3, 'rollback from version 2', 0);`);
  raw.close();
  const store = RunStore.open(storePath);
  assert.deepEqual(
    store.aliasHistory('taxi', 'production').map((c) => [c.toVersion, c.rollback]),
    [
      [1, true],
      [2, false],
      [1, false],
    ],
  );
  store.close();
});

test('registering numbers versions per model, creates the model on its first version, and is idempotent', () => {
  const clock = new FakeClock();
  const { store } = openTempStore({ now: clock.now });
  const first = trainedRun(store);
  const second = trainedRun(store);
  const v1 = store.registerModelVersion(version({ runId: first.runId, uri: first.modelUri, weightsHash: first.weightsHash }));
  assert.deepEqual(v1, {
    model: 'taxi',
    version: 1,
    runId: first.runId,
    uri: first.modelUri,
    weightsHash: first.weightsHash,
    task: 'binary',
    blessed: true,
    evaluationUri: '/s/evaluation',
    metrics: { auc: 0.9 },
    createdAt: clock.time,
    pushedTo: null,
    forced: false,
    aliases: [],
  });
  clock.advance(1000);
  assert.deepEqual(
    store.registerModelVersion(version({ runId: first.runId, uri: first.modelUri, weightsHash: first.weightsHash })),
    v1,
    'same package: same version',
  );
  assert.deepEqual(
    store.registerModelVersion(version({ runId: second.runId, uri: first.modelUri, weightsHash: first.weightsHash })),
    v1,
    'a later run that reused the cached model registers no new version',
  );
  const v2 = store.registerModelVersion(
    version({ runId: second.runId, uri: second.modelUri, weightsHash: second.weightsHash, blessed: null, evaluationUri: null }),
  );
  assert.equal(v2.version, 2);
  assert.equal(v2.blessed, null);
  const v3 = store.registerModelVersion(version({ runId: first.runId, weightsHash: 'sha256:other', blessed: false }));
  assert.equal(v3.version, 3, 'the same run with other weights is a new version');
  assert.equal(v3.blessed, false);
  const other = store.registerModelVersion(version({ model: 'penguins' }));
  assert.equal(other.version, 1, 'numbering is per model');

  assert.deepEqual(
    store.listModelVersions('taxi').map((v) => v.version),
    [3, 2, 1],
  );
  assert.deepEqual(store.listModelVersions('nothing'), []);
  assert.equal(store.getModelVersion('taxi', 4), undefined);
  assert.deepEqual(store.findModelVersion('taxi', second.modelUri, second.weightsHash), v2);
  assert.deepEqual(
    store.modelVersionsOfRun(first.runId).map((v) => `${v.model} v${v.version}`),
    ['taxi v3', 'taxi v1'],
    "a run's versions, newest first",
  );
  assert.deepEqual(store.modelVersionsOfRun(second.runId + 1), []);
  assert.deepEqual(store.listModels(), [
    { name: 'penguins', createdAt: clock.time, latestVersion: 1, versionCount: 1, aliases: {} },
    { name: 'taxi', createdAt: clock.time - 1000, latestVersion: 3, versionCount: 3, aliases: {} },
  ]);
  assert.equal(store.getModel('unknown'), undefined);
  store.close();
});

test('metrics that are not finite are left out of a version', () => {
  const { store } = openTempStore();
  const v = store.registerModelVersion(version({ metrics: { auc: 0.9, loss: Number.NaN, mse: Number.POSITIVE_INFINITY } }));
  assert.deepEqual(v.metrics, { auc: 0.9 });
  store.close();
});

test('model and alias names are checked', () => {
  const { store } = openTempStore();
  assert.throws(() => store.registerModelVersion(version({ model: '../escape' })), userError(/'..\/escape' is not a valid model name/));
  store.registerModelVersion(version());
  assert.throws(() => store.setModelAlias('taxi', '3', 1, { reason: 'x', forced: false }), userError(/'3' is not a valid alias/));
  store.close();
});

test('alias changes are recorded with reason and forced flag, newest first, and move the aliases', () => {
  const clock = new FakeClock();
  const { store } = openTempStore({ now: clock.now });
  for (const hash of ['w1', 'w2', 'w3']) store.registerModelVersion(version({ weightsHash: hash }));
  const set = (alias: string, v: number | null, reason: string, forced = false) => {
    clock.advance(10);
    return store.setModelAlias('taxi', alias, v, { reason, forced });
  };
  assert.deepEqual(set('production', 1, 'pushed by run #1'), {
    model: 'taxi',
    alias: 'production',
    fromVersion: null,
    toVersion: 1,
    at: clock.time,
    reason: 'pushed by run #1',
    forced: false,
    rollback: false,
  });
  set('production', 2, 'mlops push --force', true);
  set('staging', 3, 'try it');
  set('staging', null, 'done trying');

  assert.deepEqual(store.getModel('taxi')?.aliases, { production: 2 });
  assert.deepEqual(store.getModelVersion('taxi', 2)?.aliases, ['production']);
  assert.deepEqual(store.getModelVersion('taxi', 3)?.aliases, []);
  assert.deepEqual(
    store.aliasHistory('taxi', 'production').map((c) => [c.fromVersion, c.toVersion, c.reason, c.forced]),
    [
      [1, 2, 'mlops push --force', true],
      [null, 1, 'pushed by run #1', false],
    ],
  );
  assert.deepEqual(
    store.aliasHistory('taxi').map((c) => [c.alias, c.fromVersion, c.toVersion]),
    [
      ['staging', 3, null],
      ['staging', null, 3],
      ['production', 1, 2],
      ['production', null, 1],
    ],
  );
  store.close();
});

test('setting an alias of an unknown model or version changes nothing and lists what exists', () => {
  const { store } = openTempStore();
  store.registerModelVersion(version());
  store.registerModelVersion(version({ weightsHash: 'w2' }));
  assert.throws(() => store.setModelAlias('taxy', 'production', 1, { reason: 'x', forced: false }), userError(/no model 'taxy'[\s\S]*the models are taxi/));
  assert.throws(() => store.setModelAlias('taxi', 'production', 7, { reason: 'x', forced: false }), userError(/no version 7[\s\S]*versions of taxi are 1, 2/));
  assert.throws(() => store.setModelAlias('taxi', 'staging', null, { reason: 'x', forced: false }), userError(/no alias 'staging'/));
  assert.deepEqual(store.aliasHistory('taxi'), []);
  assert.deepEqual(store.getModel('taxi')?.aliases, {});
  store.close();
});

test('markVersionPushed and setVersionBlessing update a version', () => {
  const { store } = openTempStore();
  store.registerModelVersion(version({ blessed: null, evaluationUri: null }));
  const pushed = store.markVersionPushed('taxi', 1, '/serving/taxi/1', true);
  assert.equal(pushed.pushedTo, '/serving/taxi/1');
  assert.equal(pushed.forced, true);
  const blessed = store.setVersionBlessing('taxi', 1, true, '/eval');
  assert.equal(blessed.blessed, true);
  assert.equal(blessed.evaluationUri, '/eval');
  assert.throws(() => store.markVersionPushed('taxi', 9, '/x', false), userError(/no version 9/));
  store.close();
});

test('deleting a run keeps the versions registered from it, their package and evaluation, and clears their run id', () => {
  const { store } = openTempStore();
  const kept = trainedRun(store, { blessed: true });
  const gone = trainedRun(store, { blessed: true });
  store.registerModelVersion(version({ runId: kept.runId, uri: kept.modelUri, weightsHash: kept.weightsHash, evaluationUri: kept.evaluationUri! }));

  const released = store.deleteRun(kept.runId);
  assert.deepEqual(released, [kept.blessingUri], 'only the blessing is released: the package and evaluation belong to the version now');
  const v = store.getModelVersion('taxi', 1)!;
  assert.equal(v.runId, null);
  assert.equal(v.uri, kept.modelUri);
  assert.ok(fs.existsSync(path.join(kept.modelUri, 'weights.bin')));

  assert.deepEqual(
    store.deleteRun(gone.runId).sort(),
    [gone.blessingUri, gone.evaluationUri, gone.modelUri].sort(),
    'an unregistered run releases all its artifacts',
  );
  assert.deepEqual(store.integrityCheck(), []);
  store.close();
});

test('runsWithModels lists the newest runs that produced a live model', () => {
  const { store } = openTempStore();
  const a = trainedRun(store);
  const b = trainedRun(store);
  assert.deepEqual(store.runsWithModels(), [b.runId, a.runId]);
  assert.deepEqual(store.runsWithModels(1), [b.runId]);
  store.close();
});
