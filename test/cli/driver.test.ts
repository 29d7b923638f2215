import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeLoaders } from '../../src/core/store/driver/select';
import { CLI, mlops, mlopsJson } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

/** The driver the CLI does not use on this Node: the one a user could force by mistake. */
const hasBuiltin = nodeLoaders.builtin() !== undefined;

/** A folder with a store file (any bytes: the driver is chosen before they are read), so `runs list` has to open it. */
function folderWithStore(): string {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, '.mlops'));
  fs.writeFileSync(path.join(dir, '.mlops', 'store.sqlite'), 'a store file');
  return dir;
}

function noStackTrace(stderr: string): void {
  assert.doesNotMatch(stderr, /^\s+at /m, 'no stack trace');
}

test('runs show and --json say which SQLite driver, SQLite and Node ran the run', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'data.csv'), 'x,y\n1,2\n3,4\n');
  fs.writeFileSync(path.join(dir, 'tiny.pipeline.yaml'), 'pipeline: tiny\ndata:\n  train: data.csv\nsteps:\n  - name: hello\n    run: node -e "1"\n');
  const run = mlops(['run', 'tiny.pipeline.yaml'], dir);
  assert.equal(run.status, 0, run.stderr);
  const expected = hasBuiltin ? 'node:sqlite' : 'better-sqlite3';
  const shown = mlopsJson<{ run: { nodeVersion: string; sqliteDriver: string; sqliteVersion: string } }>(['runs', 'show', '1'], dir);
  assert.deepEqual([shown.run.nodeVersion, shown.run.sqliteDriver], [process.versions.node, expected]);
  assert.match(shown.run.sqliteVersion, /^3\.\d+\.\d+$/);
  const text = mlops(['runs', 'show', '1'], dir);
  assert.match(text.stdout, new RegExp(`runtime +Node ${process.versions.node.replace(/\./g, '\\.')} · ${expected} \\(SQLite 3\\.\\d+\\.\\d+\\)`));
});

test('forcing the driver this Node cannot load: exit 2 with the reason, no stack trace', () => {
  const dir = folderWithStore();
  const forced = hasBuiltin ? 'better-sqlite3' : 'node:sqlite';
  const r = mlops(['runs', 'list'], dir, { MLOPS_SQLITE_DRIVER: forced });
  assert.equal(r.status, 2, r.stderr);
  assert.match(
    r.stderr,
    hasBuiltin
      ? /MLOPS_SQLITE_DRIVER=better-sqlite3, but better-sqlite3 (could not load: its native binary was built for another Node|is not installed)/
      : /MLOPS_SQLITE_DRIVER=node:sqlite, but Node v[\d.]+ has no built-in node:sqlite/,
  );
  noStackTrace(r.stderr);
});

test('a Node with neither driver: exit 2 naming what to install', { skip: hasBuiltin && `Node ${process.version} has node:sqlite built in` }, () => {
  // The bundle alone, with no node_modules beside or above it: better-sqlite3 cannot be found.
  const dir = folderWithStore();
  const lonely = path.join(dir, 'cli.js');
  fs.copyFileSync(CLI, lonely);
  // The launcher loads the bundle beside it.
  fs.copyFileSync(path.join(path.dirname(CLI), 'mlops.js'), path.join(dir, 'mlops.js'));
  const r = spawnSync(process.execPath, [lonely, 'runs', 'list'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /the run store needs SQLite: Node v[\d.]+ has no built-in node:sqlite, and better-sqlite3 is not installed/);
  assert.match(r.stderr, /run mlops on Node 22\.13 or newer/);
  noStackTrace(r.stderr);
});
