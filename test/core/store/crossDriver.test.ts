import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DriverName } from '../../../src/core/store/driver/types';
import { nodesByDriver, StoreWorker } from '../../helpers/storeWorkers';
import { tempDir } from './helpers';

/**
 * The CLI on Node 20 writes through better-sqlite3 while the editor (Electron's Node) reads and
 * writes the same file through node:sqlite: one store, two SQLite builds, two processes.
 */
const nodes = nodesByDriver();
const missing = (['node:sqlite', 'better-sqlite3'] as const).filter((d) => !nodes.has(d));
const skip = missing.length ? `no Node here runs ${missing.join(' or ')} (name one in MLOPS_TEST_NODES; npm test does)` : false;

describe('one store, both SQLite drivers', { skip }, () => {
  const workers: StoreWorker[] = [];
  const start = (driver: DriverName, storePath: string): StoreWorker => {
    const worker = new StoreWorker(nodes.get(driver)!, driver, storePath);
    workers.push(worker);
    return worker;
  };
  let storePath: string;
  before(() => {
    storePath = path.join(tempDir(), '.mlops', 'store.sqlite');
  });
  after(async () => {
    await Promise.all(workers.map((w) => w.close()));
  });

  test('each worker runs the driver it was given, on its own Node', async () => {
    const better = await start('better-sqlite3', ':memory:').send({ do: 'hello' });
    const builtin = await start('node:sqlite', ':memory:').send({ do: 'hello' });
    assert.equal(better.driver, 'better-sqlite3');
    assert.equal(builtin.driver, 'node:sqlite');
  });

  test('a store created by better-sqlite3 is read and extended through node:sqlite, and back', async () => {
    const better = start('better-sqlite3', storePath);
    const builtin = start('node:sqlite', storePath);
    const first = await better.send<{ ids: number[] }>({ do: 'write', runs: 3, tag: 'better' });
    const seen = await builtin.send<{ runs: number; metrics: number; integrity: string[] }>({ do: 'read' });
    assert.deepEqual([seen.runs, seen.metrics, seen.integrity], [3, 150, []]);
    const second = await builtin.send<{ ids: number[] }>({ do: 'write', runs: 2, tag: 'builtin' });
    assert.deepEqual(second.ids, [first.ids[2] + 1, first.ids[2] + 2]);
    const back = await better.send<{ runs: number; drivers: string[]; integrity: string[] }>({ do: 'read' });
    assert.deepEqual([back.runs, back.drivers, back.integrity], [5, ['better-sqlite3', 'node:sqlite'], []]);
  });

  for (const [holder, waiter] of [
    ['better-sqlite3', 'node:sqlite'],
    ['node:sqlite', 'better-sqlite3'],
  ] as const) {
    test(`a ${holder} writer holding BEGIN IMMEDIATE makes a ${waiter} writer wait, which then proceeds`, async () => {
      const holding = start(holder, storePath);
      const waiting = start(waiter, storePath);
      await holding.send({ do: 'hold' });
      // The lock is seen across the two SQLite builds: a short wait gives up with the store's message.
      const refused = await waiting.send<{ locked?: string }>({ do: 'tryWrite', busyTimeoutMs: 100 });
      assert.match(refused.locked ?? '', /is locked by another process; waited 0\.1 s/);
      // A long wait, released by the holder's commit, succeeds after it.
      const written = waiting.send<{ id?: number }>({ do: 'tryWrite', busyTimeoutMs: 60_000 });
      await holding.send({ do: 'commit' });
      const answer = await written;
      assert.equal(typeof answer.id, 'number', JSON.stringify(answer));
      const seen = await waiting.send<{ pipelines: string[]; integrity: string[] }>({ do: 'read' });
      assert.ok(
        seen.pipelines.some((name) => name.startsWith('held-by-')),
        "the holder's row is there",
      );
      assert.deepEqual(seen.integrity, []);
    });
  }

  test('both drivers writing at once lose nothing and leave a sound store', async () => {
    const before = await start('node:sqlite', storePath).send<{ runs: number; metrics: number }>({ do: 'read' });
    const writers = [start('better-sqlite3', storePath), start('node:sqlite', storePath), start('better-sqlite3', storePath), start('node:sqlite', storePath)];
    const results = await Promise.all(writers.map((w, i) => w.send<{ ids: number[] }>({ do: 'write', runs: 40, tag: `w${i}` })));
    const ids = results.flatMap((r) => r.ids);
    assert.equal(new Set(ids).size, 160, 'every run got its own id');
    const after = await writers[0].send<{ runs: number; metrics: number; integrity: string[] }>({ do: 'read' });
    assert.deepEqual([after.runs - before.runs, after.metrics - before.metrics, after.integrity], [160, 160 * 50, []]);
  });
});
