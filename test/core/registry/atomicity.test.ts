import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { defaultDestination, newVersionFromRun, pushModel, rollbackModel } from '../../../src/core/registry';
import { openTempStore, trainedRun } from './helpers';

interface ExpectedFile {
  size: number;
  sha256: string;
}

interface ReaderReport {
  polls: number;
  /** Versions the reader saw complete, with every file checked. */
  verified: string[];
  problems: string[];
}

/**
 * What a server polling the folder does, as fast as it can in its own thread: list the versions,
 * check that each one it sees has every file at its full size and exact content, and that
 * aliases.json always parses and only names versions that are there.
 */
const READER = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { destination, expected, stop } = workerData;
const flag = new Int32Array(stop);
const verified = new Set();
const problems = [];
let polls = 0;
function report(problem) { if (problems.length < 20) problems.push(problem); }
function poll() {
  polls++;
  let names;
  try { names = fs.readdirSync(destination); } catch (e) { if (e.code === 'ENOENT') return; throw e; }
  for (const name of names.filter((n) => /^\\d+$/.test(n))) {
    const want = expected[name];
    if (!want) { report('unexpected version ' + name); continue; }
    const folder = path.join(destination, name);
    const files = fs.readdirSync(folder).sort();
    if (JSON.stringify(files) !== JSON.stringify(Object.keys(want).sort())) {
      report('version ' + name + ' seen with files ' + files.join(','));
      continue;
    }
    for (const file of files) {
      const full = path.join(folder, file);
      const size = fs.statSync(full).size;
      if (size !== want[file].size) report('version ' + name + ': ' + file + ' has ' + size + ' of ' + want[file].size + ' bytes');
      else if (!verified.has(name)) {
        const sha = crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex');
        if (sha !== want[file].sha256) report('version ' + name + ': ' + file + ' has other content');
      }
    }
    verified.add(name);
  }
  if (names.includes('aliases.json')) {
    let aliases;
    try { aliases = JSON.parse(fs.readFileSync(path.join(destination, 'aliases.json'), 'utf8')); }
    catch (e) { if (e.code !== 'ENOENT') report('aliases.json unreadable: ' + e.message); return; }
    for (const [alias, version] of Object.entries(aliases)) {
      if (!fs.existsSync(path.join(destination, String(version)))) report(alias + ' names version ' + version + ', which is not there');
    }
  }
}
poll();
parentPort.postMessage('ready');
while (Atomics.load(flag, 0) === 0) poll();
poll();
parentPort.postMessage({ polls, verified: [...verified].sort(), problems });
`;

function expectedFiles(dir: string): Record<string, ExpectedFile> {
  const out: Record<string, ExpectedFile> = {};
  for (const name of fs.readdirSync(dir)) {
    const bytes = fs.readFileSync(path.join(dir, name));
    out[name] = { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  }
  return out;
}

test('a reader polling the destination during pushes never sees a partial version or aliases file', async () => {
  const { store } = openTempStore();
  const runs = Array.from({ length: 5 }, (_, i) => trainedRun(store, { blessed: true, seed: `package-${i}`, weightBytes: 6 * 1024 * 1024 }));
  const destination = defaultDestination(store, 'taxi');
  const expected = Object.fromEntries(runs.map((run, i) => [String(i + 1), expectedFiles(run.modelUri)]));
  const stop = new SharedArrayBuffer(4);
  const reader = new Worker(READER, { eval: true, workerData: { destination, expected, stop } });
  let ready!: () => void;
  const started = new Promise<void>((resolve) => (ready = resolve));
  const finished = new Promise<ReaderReport>((resolve, reject) => {
    reader.on('message', (message) => (message === 'ready' ? ready() : resolve(message as ReaderReport)));
    reader.on('error', reject);
    reader.on('exit', (code) => reject(new Error(`reader exited (${code}) before reporting`)));
  });
  try {
    await started;
    for (const run of runs) {
      await pushModel(store, {
        target: { kind: 'new', version: newVersionFromRun(store, run.runId, 'taxi') },
        alias: 'production',
        force: false,
        reason: `pushed by run #${run.runId}`,
      });
    }
    await rollbackModel(store, 'taxi');
    await rollbackModel(store, 'taxi', { to: 1 });
  } finally {
    Atomics.store(new Int32Array(stop), 0, 1);
  }
  const report = await finished;
  await reader.terminate();
  assert.deepEqual(report.problems, []);
  assert.deepEqual(report.verified, ['1', '2', '3', '4', '5'], 'the reader checked every version it found');
  assert.ok(report.polls > 1);
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(destination, 'aliases.json'), 'utf8')), { production: 1 });
  store.close();
});
