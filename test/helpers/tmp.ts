import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';

/** A fresh temporary folder, removed when the test file finishes. */
export function tempDir(prefix = 'mlops-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The repository root, from compiled tests in out/test/... or sources in test/... */
export const REPO_ROOT = path.resolve(__dirname, /[\\/]out[^\\/]*[\\/]test[\\/]/.test(__dirname) ? '../../..' : '../..');
export const SHARED_DATASETS = path.resolve(REPO_ROOT, '..', 'shared', 'datasets');
