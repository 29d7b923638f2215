import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { openRaw } from '../../helpers/rawSqlite';
import { RunStore, storeExists } from '../../../src/core/store';
import { APPLICATION_ID, MIGRATIONS, STORE_VERSION } from '../../../src/core/store/migrations';
import { isUserError } from '../../../src/core/util/problems';
import { newRun, openTempStore, STORE_MODULE, tempDir } from './helpers';

function userErrorMatching(pattern: RegExp): (e: unknown) => boolean {
  return (e) => {
    assert.ok(isUserError(e), `expected a UserError, got ${String(e)}`);
    assert.match(e.message, pattern);
    return true;
  };
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test('creates the folder and the file, migrated, in WAL mode', () => {
  const { store, path: storePath } = openTempStore();
  store.close();
  assert.ok(fs.existsSync(storePath));
  const raw = openRaw(storePath, { readonly: true });
  assert.equal(raw.value('PRAGMA journal_mode'), 'wal');
  assert.equal(raw.value('PRAGMA user_version'), STORE_VERSION);
  assert.equal(raw.value('PRAGMA application_id'), APPLICATION_ID);
  const tables = raw.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`).column();
  assert.deepEqual(tables, [
    'alert_actions',
    'alerts',
    'alias_history',
    'artifacts',
    'contents',
    'events',
    'executions',
    'metrics',
    'model_aliases',
    'model_versions',
    'models',
    'monitor_windows',
    'params',
    'pipelines',
    'run_files',
    'runs',
    'sqlite_sequence',
    'tags',
    'watchers',
  ]);
  raw.close();
});

test('sets busy_timeout, foreign_keys and synchronous on its connection', () => {
  const { store } = openTempStore({ busyTimeoutMs: 1234 });
  const ctx = store['ctx'];
  assert.equal(ctx.pragma('busy_timeout'), 1234);
  assert.equal(ctx.pragma('foreign_keys'), 1);
  assert.equal(ctx.pragma('synchronous'), 1, 'NORMAL');
  store.close();
});

test('migration steps are numbered 1, 2, 3, ... in order', () => {
  assert.deepEqual(
    MIGRATIONS.map((m) => m.version),
    MIGRATIONS.map((_, i) => i + 1),
  );
});

test('migrates an existing empty file', () => {
  const storePath = path.join(tempDir(), 'runs.db');
  fs.writeFileSync(storePath, '');
  const store = RunStore.open(storePath);
  assert.equal(store.createRun(newRun()).id, 1);
  store.close();
});

test('reopening keeps the data', () => {
  const { store, path: storePath } = openTempStore();
  const run = store.createRun(newRun());
  store.close();
  const again = RunStore.open(storePath);
  assert.deepEqual(again.getRun(run.id), run);
  again.close();
});

test('refuses a store written by a newer version and leaves it untouched', () => {
  const { store, path: storePath } = openTempStore();
  store.createRun(newRun());
  store.close();
  const raw = openRaw(storePath);
  raw.exec(`PRAGMA user_version = ${STORE_VERSION + 1}`);
  raw.close();
  const before = fs.readFileSync(storePath);
  assert.throws(
    () => RunStore.open(storePath),
    userErrorMatching(new RegExp(`${escaped(storePath)} was written by a newer version of mlops.*format ${STORE_VERSION + 1}`)),
  );
  assert.throws(() => RunStore.open(storePath, { readonly: true }), userErrorMatching(/newer version/));
  assert.deepEqual(fs.readFileSync(storePath), before);
});

test('refuses an SQLite database that is not a run store', () => {
  const storePath = path.join(tempDir(), 'other.db');
  const raw = openRaw(storePath);
  raw.exec('CREATE TABLE notes (text TEXT)');
  raw.close();
  const before = fs.readFileSync(storePath);
  assert.throws(() => RunStore.open(storePath), userErrorMatching(/other\.db is an SQLite database but not an mlops run store/));
  assert.deepEqual(fs.readFileSync(storePath), before);
});

test('reports a file that is not a database, and leaves its bytes unchanged', () => {
  const dir = tempDir();
  for (const [name, bytes] of [
    ['garbage.db', crypto.randomBytes(8192)],
    ['text.db', Buffer.from('these are my notes, not a database\n')],
  ] as const) {
    const storePath = path.join(dir, name);
    fs.writeFileSync(storePath, bytes);
    assert.throws(
      () => RunStore.open(storePath),
      userErrorMatching(
        new RegExp(
          `the run store ${escaped(storePath)} is not a valid SQLite database \\(it may be corrupt\\)\\. It has not been changed` +
            `[\\s\\S]*move it aside to start a new store, or run \`sqlite3 ${escaped(storePath)} \\.recover\``,
        ),
      ),
    );
    assert.deepEqual(fs.readFileSync(storePath), bytes);
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.startsWith(name)),
      [name],
      'no journal or WAL files left behind',
    );
  }
});

test('integrityCheck reports a damaged page instead of throwing', () => {
  const { store, path: storePath } = openTempStore();
  const run = store.createRun(newRun());
  store.logMetrics(
    run.id,
    null,
    Array.from({ length: 5000 }, (_, step) => ({ key: 'loss', value: 1 / (step + 1), step })),
  );
  assert.deepEqual(store.integrityCheck(), []);
  store.close();

  const raw = openRaw(storePath);
  const root = raw.value(`SELECT rootpage FROM sqlite_schema WHERE name = 'metrics_by_key'`) as number;
  const pageSize = raw.value('PRAGMA page_size') as number;
  raw.close();
  const fd = fs.openSync(storePath, 'r+');
  fs.writeSync(fd, Buffer.alloc(pageSize - 200, 0xab), 0, pageSize - 200, (root - 1) * pageSize + 100);
  fs.closeSync(fd);

  const damaged = RunStore.open(storePath);
  assert.ok(damaged.integrityCheck().length > 0);
  damaged.close();
});

test('a write waiting on another writer beyond busy_timeout fails with a clear message', () => {
  const { store, path: storePath } = openTempStore({ busyTimeoutMs: 200 });
  const other = openRaw(storePath);
  other.exec('BEGIN IMMEDIATE');
  try {
    assert.throws(
      () => store.createRun(newRun()),
      userErrorMatching(
        new RegExp(
          `the run store ${escaped(storePath)} is locked by another process; waited 0\\.2 s` +
            '[\\s\\S]*another mlops run may be writing: wait for it or use --store',
        ),
      ),
    );
  } finally {
    other.exec('ROLLBACK');
    other.close();
  }
  assert.equal(store.createRun(newRun()).status, 'running', 'works again once the other writer is done');
  store.close();
});

test('the default busy timeout is 5 s', () => {
  const { store } = openTempStore();
  assert.equal(store['ctx'].pragma('busy_timeout'), 5000);
  store.close();
});

test('a folder where the store file should be is named as such, for readers and writers', () => {
  const storePath = path.join(tempDir(), 'store.sqlite');
  fs.mkdirSync(storePath);
  for (const readonly of [false, true]) {
    assert.throws(
      () => RunStore.open(storePath, { readonly }),
      userErrorMatching(new RegExp(`the run store ${escaped(storePath)} is a folder, not a file[\\s\\S]*point --store`)),
    );
  }
  assert.deepEqual(fs.readdirSync(storePath), [], 'nothing written into the folder');
});

test('storeExists: a file with something in it; an empty file holds no run yet', () => {
  const dir = tempDir();
  const empty = path.join(dir, 'empty.sqlite');
  fs.writeFileSync(empty, '');
  const { store, path: real } = openTempStore();
  store.close();
  assert.deepEqual([storeExists(path.join(dir, 'none.sqlite')), storeExists(empty), storeExists(real), storeExists(dir)], [false, false, true, true]);
});

test('readonly: a missing store is reported and not created', () => {
  const dir = tempDir();
  const storePath = path.join(dir, 'missing', 'runs.db');
  assert.throws(() => RunStore.open(storePath, { readonly: true }), userErrorMatching(new RegExp(`there is no run store at ${escaped(storePath)}`)));
  assert.equal(fs.existsSync(path.dirname(storePath)), false);
});

test('readonly: reads what a writer commits, refuses to write', () => {
  const { store: writer, path: storePath } = openTempStore();
  const reader = RunStore.open(storePath, { readonly: true });
  const run = writer.createRun(newRun());
  assert.deepEqual(reader.getRun(run.id), run);
  assert.throws(() => reader.createRun(newRun()), userErrorMatching(/cannot be opened for writing/));
  reader.close();
  writer.close();
});

test('readonly: an empty file is reported as needing an upgrade, not migrated', () => {
  const storePath = path.join(tempDir(), 'runs.db');
  fs.writeFileSync(storePath, '');
  assert.throws(() => RunStore.open(storePath, { readonly: true }), userErrorMatching(/older format \(0; this version needs/));
  assert.equal(fs.statSync(storePath).size, 0);
});

/**
 * Run as an unprivileged user: root ignores file modes. The child prints each open's message.
 */
test('a read-only location is reported as such', () => {
  const dir = tempDir();
  fs.chmodSync(dir, 0o755);
  const readOnly = path.join(dir, 'read-only');
  fs.mkdirSync(readOnly);
  const existing = path.join(readOnly, 'existing.db');
  const seeded = RunStore.open(existing);
  seeded.createRun(newRun());
  seeded.close();
  fs.chmodSync(existing, 0o444);
  fs.chmodSync(readOnly, 0o555);

  const targets = [path.join(readOnly, 'sub', 'runs.db'), path.join(readOnly, 'runs.db'), existing];
  const script = `
    const { RunStore } = require(${JSON.stringify(STORE_MODULE)});
    const messages = JSON.parse(process.argv[1]).map((target) => {
      try { const s = RunStore.open(target); s.createRun(${JSON.stringify(newRun())}); s.close(); return 'opened'; }
      catch (e) { return e.name + ': ' + e.message; }
    });
    console.log(JSON.stringify(messages));`;
  const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const child = spawnSync(process.execPath, ['-e', script, JSON.stringify(targets)], { encoding: 'utf8', ...asNobody });
  assert.equal(child.status, 0, child.stderr);
  const messages = JSON.parse(child.stdout) as string[];
  targets.forEach((target, i) => {
    assert.match(messages[i], new RegExp(`^UserError: error: the run store ${escaped(target)} cannot be opened for writing`));
    assert.match(messages[i], /read-only/);
  });
  assert.equal(fs.existsSync(path.join(readOnly, 'sub')), false);
});

test('dataVersion changes when another connection commits and when this one writes', () => {
  const { store: reader, path: storePath } = openTempStore();
  const writer = RunStore.open(storePath);
  const first = reader.dataVersion();
  assert.equal(reader.dataVersion(), first, 'stable while nothing changes');
  writer.createRun(newRun());
  const afterOther = reader.dataVersion();
  assert.notEqual(afterOther, first);
  reader.setTags(1, { note: 'x' });
  assert.notEqual(reader.dataVersion(), afterOther);
  writer.close();
  reader.close();
});

test('close and dispose can be called more than once', () => {
  const { store } = openTempStore();
  store.close();
  store.dispose();
});
