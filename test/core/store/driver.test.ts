import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { DRIVER_ENV, nodeLoaders, selectDriver, type DriverLoaders } from '../../../src/core/store/driver/select';
import { isUserError } from '../../../src/core/util/problems';
import { STORE_MODULE, tempDir } from './helpers';

const builtinModule = nodeLoaders.builtin();
const fakeBuiltin = { DatabaseSync: class {} } as unknown as NonNullable<ReturnType<DriverLoaders['builtin']>>;
const fakeBetter = function FakeBetter() {} as unknown as ReturnType<DriverLoaders['betterSqlite']>;

function loaders(builtin: boolean, better: 'ok' | 'missing' | 'abi'): DriverLoaders {
  return {
    builtin: () => (builtin ? fakeBuiltin : undefined),
    betterSqlite: () => {
      if (better === 'missing') throw Object.assign(new Error("Cannot find module 'better-sqlite3'"), { code: 'MODULE_NOT_FOUND' });
      if (better === 'abi') {
        throw new Error(
          "The module '/x/better_sqlite3.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of Node.js requires\nNODE_MODULE_VERSION 137. Please try re-compiling or re-installing",
        );
      }
      return fakeBetter;
    },
  };
}

function userError(pattern: RegExp): (e: unknown) => boolean {
  return (e) => {
    assert.ok(isUserError(e), `expected a UserError, got ${String(e)}`);
    assert.match(e.message, pattern);
    return true;
  };
}

test('the built-in node:sqlite is chosen wherever Node has it, even with better-sqlite3 installed', () => {
  assert.equal(selectDriver({}, loaders(true, 'ok')).name, 'node:sqlite');
  assert.equal(selectDriver({ [DRIVER_ENV]: 'auto' }, loaders(true, 'abi')).name, 'node:sqlite');
});

test('better-sqlite3 is the fallback only where node:sqlite is missing', () => {
  assert.equal(selectDriver({}, loaders(false, 'ok')).name, 'better-sqlite3');
  assert.equal(selectDriver({ [DRIVER_ENV]: 'better-sqlite3' }, loaders(true, 'ok')).name, 'better-sqlite3');
});

test('a Node with neither driver gets a message naming what it needs', () => {
  assert.throws(
    () => selectDriver({}, loaders(false, 'missing')),
    userError(
      /the run store needs SQLite: Node v[\d.]+ has no built-in node:sqlite, and better-sqlite3 is not installed[\s\S]*hint: run mlops on Node 22\.13 or newer.*or on Node 20 install better-sqlite3/,
    ),
  );
});

test('a better-sqlite3 built for another Node is named as such, with the fix', () => {
  assert.throws(
    () => selectDriver({}, loaders(false, 'abi')),
    userError(
      /better-sqlite3 could not load: its native binary was built for another Node \(module version 115; Node v[\d.]+ needs 137\); `npm rebuild better-sqlite3` rebuilds it/,
    ),
  );
  assert.throws(
    () => selectDriver({ [DRIVER_ENV]: 'better-sqlite3' }, loaders(true, 'abi')),
    userError(/MLOPS_SQLITE_DRIVER=better-sqlite3, but better-sqlite3 could not load[\s\S]*unset it to use the built-in node:sqlite/),
  );
});

test('forcing a driver this Node lacks, or no driver at all, is a clear error', () => {
  assert.throws(
    () => selectDriver({ [DRIVER_ENV]: 'node:sqlite' }, loaders(false, 'ok')),
    userError(/MLOPS_SQLITE_DRIVER=node:sqlite, but Node v[\d.]+ has no built-in node:sqlite[\s\S]*Node 22\.13 or newer/),
  );
  assert.throws(() => selectDriver({ [DRIVER_ENV]: 'sqlite3' }, loaders(true, 'ok')), userError(/MLOPS_SQLITE_DRIVER=sqlite3 is not a SQLite driver/));
});

test("this Node's own choice: node:sqlite from 22.13 on, better-sqlite3 before", () => {
  const [major, minor] = process.versions.node.split('.').map(Number);
  const hasBuiltin = major > 22 || (major === 22 && minor >= 13);
  assert.equal(builtinModule !== undefined, hasBuiltin, `Node ${process.version}`);
  assert.equal(selectDriver({}).name, hasBuiltin ? 'node:sqlite' : 'better-sqlite3');
});

test("loading node:sqlite prints no ExperimentalWarning into the user's terminal", () => {
  const script = `const { RunStore } = require(${JSON.stringify(STORE_MODULE)});
    const s = RunStore.open(${JSON.stringify(path.join(tempDir(), 'store.sqlite'))});
    console.log(s.driver.name); s.close();`;
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, [DRIVER_ENV]: '' } });
  assert.equal(child.status, 0, child.stderr);
  assert.equal(child.stderr, '', 'nothing on stderr');
  assert.match(child.stdout, /^(node:sqlite|better-sqlite3)\n$/);
});
