import assert from 'node:assert/strict';
import * as os from 'node:os';
import { test } from 'node:test';
import { RunStore } from '../../../src/core/store';
import { isUserError } from '../../../src/core/util/problems';
import { deadPid, newRun, tempDir } from './helpers';
import * as path from 'node:path';

const FILE = '/work/p/taxi.pipeline.yaml';

function watcherRow(store: RunStore, pid: number, hostname = os.hostname()): void {
  store['ctx'].statement('INSERT OR REPLACE INTO watchers (pipeline_file, pid, hostname, started_at) VALUES (?, ?, ?, 0)').run(FILE, pid, hostname);
}

test('one live watcher per pipeline file: another is refused, a dead one taken over, unregistering removes only its own', () => {
  const store = RunStore.open(path.join(tempDir(), 'store.sqlite'));
  assert.equal(store.liveWatcher(FILE), undefined);
  assert.equal(store.registerWatcher(FILE).pid, process.pid);
  assert.equal(store.liveWatcher(FILE)?.pid, process.pid);

  watcherRow(store, process.ppid);
  assert.throws(
    () => store.registerWatcher(FILE),
    (e) => isUserError(e) && e.problems[0].message === `${FILE} is already watched by process ${process.ppid} on ${os.hostname()}`,
  );
  store.unregisterWatcher(FILE);
  assert.equal(store.liveWatcher(FILE)?.pid, process.ppid, "another process's registration stays");

  watcherRow(store, deadPid());
  assert.equal(store.liveWatcher(FILE), undefined);
  assert.equal(store.registerWatcher(FILE).pid, process.pid);
  // A pid on another machine cannot be checked: it counts as live.
  watcherRow(store, 1, 'elsewhere');
  assert.equal(store.liveWatcher(FILE)?.hostname, 'elsewhere');
  store.close();
});

test('a run keeps the trigger it was created with', () => {
  const store = RunStore.open(path.join(tempDir(), 'store.sqlite'));
  const trigger = { kind: 'schedule', cron: '0 3 * * *', at: 1_700_000_000_000 } as const;
  const run = store.createRun(newRun({ trigger }));
  assert.deepEqual(store.getRun(run.id)?.trigger, trigger);
  assert.equal(store.createRun(newRun()).trigger, null);
  assert.deepEqual(
    store.listRuns({}).runs.map((r) => r.trigger?.kind ?? null),
    [null, 'schedule'],
  );
  store.close();
});
