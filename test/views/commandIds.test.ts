import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as commandIds from '../../src/extension/commandIds';

interface Manifest {
  activationEvents?: string[];
  contributes: { commands: { command: string }[]; menus: Record<string, { command?: string; submenu?: string }[]> };
}

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as Manifest;
const ids = new Set<string>(Object.values(commandIds));

test('every command the manifest contributes has its id in src/extension/commandIds.ts, and no other', () => {
  const contributed = manifest.contributes.commands.map((c) => c.command).sort();
  assert.deepEqual([...ids].sort(), contributed);
});

test('every menu entry names a contributed command', () => {
  const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
  for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
    for (const e of entries) if (e.command) assert.ok(contributed.has(e.command), `${menu}: ${e.command}`);
  }
});
