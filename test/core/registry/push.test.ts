import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultDestination, newVersionFromRun, promoteModel, pushModel, resolveModelRef, rollbackModel, syncServingFolders } from '../../../src/core/registry';
import type { PushOutcome, PushRequest } from '../../../src/core/registry';
import { artifactsRootFor, ownedArtifactPaths } from '../../../src/core/runner/publish';
import type { RunStore } from '../../../src/core/store';
import { isUserError } from '../../../src/core/util/problems';
import { fileDigests, openTempStore, tempDir, trainedRun, type TrainedRunOptions } from './helpers';

function userError(pattern: RegExp): (e: unknown) => boolean {
  return (e) => {
    assert.ok(isUserError(e), `expected a UserError, got ${String(e)}`);
    assert.match(e.message, pattern);
    return true;
  };
}

function pushRun(store: RunStore, runId: number, extra: Partial<PushRequest> = {}): Promise<PushOutcome> {
  return pushModel(store, {
    target: { kind: 'new', version: newVersionFromRun(store, runId, 'taxi') },
    alias: 'production',
    force: false,
    reason: `pushed by run #${runId}`,
    ...extra,
  });
}

async function pushedRun(store: RunStore, options: TrainedRunOptions = { blessed: true }) {
  const run = trainedRun(store, options);
  return { run, outcome: await pushRun(store, run.runId) };
}

function readAliases(destination: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(destination, 'aliases.json'), 'utf8'));
}

function hiddenEntries(folder: string): string[] {
  return fs.existsSync(folder) ? fs.readdirSync(folder).filter((name) => name.startsWith('.')) : [];
}

test('pushing a blessed run registers it, copies the package to <destination>/<version> and aliases it', async () => {
  const { store } = openTempStore();
  const { run, outcome } = await pushedRun(store);
  const destination = defaultDestination(store, 'taxi');
  assert.equal(destination, path.join(path.dirname(store.path), 'serving', 'taxi'));
  assert.equal(outcome.pushedTo, path.join(destination, '1'));
  assert.equal(outcome.registered, true);
  assert.equal(outcome.previous, null);
  assert.equal(outcome.version.pushedTo, outcome.pushedTo);
  assert.equal(outcome.version.forced, false);
  assert.deepEqual(outcome.version.aliases, ['production']);
  assert.deepEqual(fileDigests(outcome.pushedTo), fileDigests(run.modelUri));
  assert.deepEqual(readAliases(destination), { production: 1 });
  assert.deepEqual(hiddenEntries(destination), []);
  const [change] = store.aliasHistory('taxi', 'production');
  assert.deepEqual([change.fromVersion, change.toVersion, change.reason, change.forced], [null, 1, `pushed by run #${run.runId}`, false]);

  const again = await pushRun(store, run.runId);
  assert.equal(again.registered, false, 'the same run and weights are the same version');
  assert.equal(again.version.version, 1);
  assert.equal(again.previous, 1);

  const next = await pushedRun(store);
  assert.equal(next.outcome.version.version, 2);
  assert.equal(next.outcome.previous, 1);
  assert.deepEqual(readAliases(destination), { production: 2 });
  assert.deepEqual(fs.readdirSync(destination).sort(), ['1', '2', 'aliases.json']);
  store.close();
});

test('an unblessed or never evaluated model is refused unless forced, and a forced push is recorded', async () => {
  const { store } = openTempStore();
  const failed = trainedRun(store, { blessed: false });
  const unevaluated = trainedRun(store);
  await assert.rejects(pushRun(store, failed.runId), userError(/run #\d+ is not blessed[\s\S]*--force/));
  await assert.rejects(pushRun(store, unevaluated.runId), userError(/never evaluated[\s\S]*--force/));
  assert.deepEqual(store.listModels(), [], 'a refused push registers nothing');
  assert.equal(fs.existsSync(defaultDestination(store, 'taxi')), false);

  const forced = await pushRun(store, failed.runId, { force: true, reason: 'mlops push --force' });
  assert.equal(forced.version.forced, true);
  assert.equal(forced.version.blessed, false);
  const [change] = store.aliasHistory('taxi');
  assert.equal(change.forced, true);
  assert.equal(change.reason, 'mlops push --force');

  await assert.rejects(
    pushModel(store, { target: { kind: 'existing', model: 'taxi', version: 1 }, alias: 'staging', force: false, reason: 'x' }),
    userError(/taxi@1 \(production\) is not blessed/),
  );
  await assert.rejects(
    pushModel(store, { target: { kind: 'existing', model: 'taxi', version: 4 }, alias: 'staging', force: false, reason: 'x' }),
    userError(/no version 4/),
  );
  store.close();
});

test('force on a blessed model is not recorded as forced', async () => {
  const { store } = openTempStore();
  const run = trainedRun(store, { blessed: true });
  const outcome = await pushRun(store, run.runId, { force: true });
  assert.equal(outcome.version.forced, false);
  assert.equal(store.aliasHistory('taxi')[0].forced, false);
  store.close();
});

test('an unwritable destination is an error naming it; the registry and alias stay as they were', async () => {
  const { store, dir } = openTempStore();
  const first = await pushedRun(store);
  const blocker = path.join(dir, 'not-a-folder');
  fs.writeFileSync(blocker, 'a file, so nothing can be created under it, even by root');
  const destination = path.join(blocker, 'serving');
  const second = trainedRun(store, { blessed: true });
  await assert.rejects(
    pushRun(store, second.runId, { destination }),
    userError(new RegExp(`push destination ${destination.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} cannot be created`)),
  );
  assert.deepEqual(store.getModel('taxi')?.aliases, { production: first.outcome.version.version });
  assert.equal(store.getModel('taxi')?.versionCount, 1);
  assert.equal(store.aliasHistory('taxi').length, 1);
  store.close();
});

test('a copy that fails half-way leaves no temporary folder and changes nothing', async () => {
  const { store } = openTempStore();
  const first = await pushedRun(store);
  const second = trainedRun(store, { blessed: true });
  execFileSync('mkfifo', [path.join(second.modelUri, 'zz-pipe')]);
  const destination = defaultDestination(store, 'taxi');
  await assert.rejects(pushRun(store, second.runId), userError(/cannot receive a copy/));
  assert.deepEqual(hiddenEntries(destination), []);
  assert.deepEqual(fs.readdirSync(destination).sort(), ['1', 'aliases.json']);
  assert.deepEqual(readAliases(destination), { production: 1 });
  assert.deepEqual(store.getModel('taxi')?.aliases, { production: first.outcome.version.version });
  assert.equal(store.getModel('taxi')?.versionCount, 1);
  store.close();
});

test('a version folder holding other weights is never overwritten', async () => {
  const { store } = openTempStore();
  const destination = defaultDestination(store, 'taxi');
  fs.mkdirSync(path.join(destination, '1'), { recursive: true });
  fs.writeFileSync(path.join(destination, '1', 'mlops-model.json'), JSON.stringify({ weightsHash: 'sha256:stale' }));
  const run = trainedRun(store, { blessed: true });
  await assert.rejects(pushRun(store, run.runId), userError(/1 already exists and holds a different model \(weights sha256:stale/));
  assert.deepEqual(store.listModels(), []);
  assert.equal(JSON.parse(fs.readFileSync(path.join(destination, '1', 'mlops-model.json'), 'utf8')).weightsHash, 'sha256:stale');
  store.close();
});

test('rollback goes back to the previous production version, or to --to, and updates aliases.json', async () => {
  const { store } = openTempStore();
  for (let i = 0; i < 3; i++) await pushedRun(store);
  const destination = defaultDestination(store, 'taxi');

  const back = await rollbackModel(store, 'taxi');
  assert.deepEqual([back.fromVersion, back.toVersion, back.reason, back.forced], [3, 2, 'rollback from version 3', false]);
  assert.deepEqual(readAliases(destination), { production: 2 });
  assert.deepEqual(store.getModel('taxi')?.aliases, { production: 2 });

  const toggled = await rollbackModel(store, 'taxi', { reason: 'v2 is worse' });
  assert.deepEqual([toggled.fromVersion, toggled.toVersion, toggled.reason], [2, 3, 'v2 is worse'], 'the version before the current one');

  const chosen = await rollbackModel(store, 'taxi', { to: 1 });
  assert.equal(chosen.toVersion, 1);
  assert.deepEqual(readAliases(destination), { production: 1 });
  await assert.rejects(rollbackModel(store, 'taxi', { to: 1 }), userError(/already points at version 1/));
  await assert.rejects(rollbackModel(store, 'taxi', { to: 8 }), userError(/no version 8/));
  assert.deepEqual(
    store.aliasHistory('taxi', 'production').map((c) => c.toVersion),
    [1, 3, 2, 3, 2, 1],
  );
  store.close();
});

test("a pipeline's push leaves production where a person rolled it back; a person's push, or one after re-promotion, moves it", async () => {
  const { store } = openTempStore();
  await pushedRun(store);
  const { run: second } = await pushedRun(store);
  const destination = defaultDestination(store, 'taxi');
  await rollbackModel(store, 'taxi', { reason: 'v2 answers slowly' });

  // A retrain that reused its cached model pushes the same package as version 2 again.
  const retrain = await pushRun(store, second.runId, { respectRollbacks: true, reason: 'pushed by run #9' });
  assert.equal(retrain.version.version, 2);
  assert.equal(retrain.previous, 1);
  assert.deepEqual(
    [retrain.heldBy?.fromVersion, retrain.heldBy?.toVersion, retrain.heldBy?.reason, retrain.heldBy?.rollback],
    [2, 1, 'v2 answers slowly', true],
  );
  assert.deepEqual(store.getModel('taxi')?.aliases, { production: 1 });
  assert.deepEqual(readAliases(destination), { production: 1 });
  assert.equal(store.aliasHistory('taxi', 'production').length, 3, 'nothing recorded for a push that moved nothing');

  // A new model is not held back; a person pushing version 2 by name is not either.
  const third = trainedRun(store, { blessed: true });
  const fresh = await pushRun(store, third.runId, { respectRollbacks: true });
  assert.deepEqual([fresh.version.version, fresh.heldBy], [3, undefined]);
  await rollbackModel(store, 'taxi', { to: 1 });
  const byHand = await pushModel(store, { target: { kind: 'existing', model: 'taxi', version: 2 }, alias: 'production', force: false, reason: 'mlops push' });
  assert.equal(byHand.heldBy, undefined);
  assert.deepEqual(store.getModel('taxi')?.aliases, { production: 2 });
  // Moved away by a promote, not a rollback: a pipeline may push version 2 again.
  await promoteModel(store, 'taxi', 1, 'production', 'compare with v1');
  const again = await pushRun(store, second.runId, { respectRollbacks: true });
  assert.equal(again.heldBy, undefined);
  assert.deepEqual(store.getModel('taxi')?.aliases, { production: 2 });
  store.close();
});

test('rollback skips re-pushes of the current version and refuses when there is nothing earlier', async () => {
  const { store } = openTempStore();
  const { run } = await pushedRun(store);
  await pushRun(store, run.runId);
  await assert.rejects(rollbackModel(store, 'taxi'), userError(/no earlier version to roll back to[\s\S]*--to/));
  await assert.rejects(rollbackModel(store, 'taxi', { alias: 'staging' }), userError(/no staging version to roll back/));
  await assert.rejects(rollbackModel(store, 'penguins'), userError(/no model 'penguins'/));

  const second = await pushedRun(store);
  await pushRun(store, second.run.runId);
  const back = await rollbackModel(store, 'taxi');
  assert.deepEqual([back.fromVersion, back.toVersion], [2, 1]);
  store.close();
});

test('rollback to a version that is not in the serving folder copies it there first', async () => {
  const { store } = openTempStore();
  const old = trainedRun(store, { blessed: true });
  store.registerModelVersion(newVersionFromRun(store, old.runId, 'taxi'));
  await pushedRun(store);
  const destination = defaultDestination(store, 'taxi');
  assert.deepEqual(fs.readdirSync(destination).sort(), ['2', 'aliases.json']);
  const change = await rollbackModel(store, 'taxi', { to: 1 });
  assert.equal(change.toVersion, 1);
  assert.deepEqual(fileDigests(path.join(destination, '1')), fileDigests(old.modelUri));
  assert.deepEqual(readAliases(destination), { production: 1 });
  assert.equal(store.getModelVersion('taxi', 1)?.pushedTo, path.join(destination, '1'));
  store.close();
});

test('promote points an alias at a version and keeps aliases.json of the serving folder right', async () => {
  const { store } = openTempStore();
  const candidate = trainedRun(store);
  store.registerModelVersion(newVersionFromRun(store, candidate.runId, 'taxi'));
  const unserved = await promoteModel(store, 'taxi', 1, 'staging', 'try it');
  assert.deepEqual([unserved.fromVersion, unserved.toVersion, unserved.reason, unserved.forced], [null, 1, 'try it', false]);
  const destination = defaultDestination(store, 'taxi');
  assert.equal(fs.existsSync(destination), false, 'a model never pushed is not served from anywhere');

  await pushedRun(store);
  assert.deepEqual(readAliases(destination), { production: 2 }, 'staging leads to a version that is not in the folder');
  await promoteModel(store, 'taxi', 1, 'staging', 'try it served');
  assert.deepEqual(readAliases(destination), { production: 2, staging: 1 });
  assert.deepEqual(fileDigests(path.join(destination, '1')), fileDigests(candidate.modelUri));
  assert.deepEqual(store.getModel('taxi')?.aliases, { production: 2, staging: 1 });
  await assert.rejects(promoteModel(store, 'taxi', 5, 'staging', 'x'), userError(/no version 5/));
  await assert.rejects(promoteModel(store, 'taxi', 1, 'Bad Alias', 'x'), userError(/not a valid alias/));
  store.close();
});

test('deleting the run of a registered version keeps its package, which still resolves and pushes', async () => {
  const { store } = openTempStore();
  const { run } = await pushedRun(store);
  const released = store.deleteRun(run.runId);
  const owned = ownedArtifactPaths(released, artifactsRootFor(store.path));
  for (const uri of owned) fs.rmSync(uri, { recursive: true, force: true });
  assert.ok(!owned.includes(run.modelUri));
  assert.ok(fs.existsSync(path.join(run.modelUri, 'weights.bin')));

  const resolved = resolveModelRef(store, { kind: 'version', model: 'taxi', version: 1 });
  assert.equal(resolved.uri, run.modelUri);
  assert.equal(resolved.runId, undefined);
  const other = tempDir();
  const outcome = await pushModel(store, {
    target: { kind: 'existing', model: 'taxi', version: 1 },
    alias: 'production',
    destination: other,
    force: false,
    reason: 'moved',
  });
  assert.deepEqual(fileDigests(outcome.pushedTo), fileDigests(run.modelUri));
  store.close();
});

test('a push killed between writing aliases.json and recording the alias: the store stays the truth and the folder follows it', async () => {
  const { store } = openTempStore();
  await pushedRun(store);
  const destination = defaultDestination(store, 'taxi');
  const run = trainedRun(store, { blessed: true });
  // The process dies right after aliases.json names version 2: the store never hears of it.
  const dying = Object.create(store) as RunStore;
  dying.setModelAlias = () => {
    throw new Error('killed');
  };
  await assert.rejects(pushRun(dying, run.runId), /killed/);
  assert.deepEqual(readAliases(destination), { production: 2 }, 'the folder ran ahead of the store');
  assert.equal(store.getModel('taxi')?.aliases.production, 1);

  await syncServingFolders(store, 'taxi');
  assert.deepEqual(readAliases(destination), { production: 1 }, 'back in line with the store');
  const mtime = fs.statSync(path.join(destination, 'aliases.json')).mtimeMs;
  await syncServingFolders(store, 'taxi');
  assert.equal(fs.statSync(path.join(destination, 'aliases.json')).mtimeMs, mtime, 'an agreeing file is left alone');

  // The next registry change starts from the same repair.
  fs.writeFileSync(path.join(destination, 'aliases.json'), JSON.stringify({ production: 2 }));
  await promoteModel(store, 'taxi', 1, 'staging', 'check');
  assert.deepEqual(readAliases(destination), { production: 1, staging: 1 });
  store.close();
});
