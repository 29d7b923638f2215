import { existsSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The folder that holds the `mlops` Python module (resources/python/mlops): what a step gets on its
 * PYTHONPATH and `mlops python-path` prints. Found from this file: beside dist/ in the bundle and the
 * installed extension, above out/src/core/tracking when the tests run the compiled sources.
 */
export function pythonClientDir(): string | undefined {
  for (let dir = __dirname, up = 0; up < 6; dir = path.dirname(dir), up++) {
    const candidate = path.join(dir, 'resources', 'python');
    if (existsSync(path.join(candidate, 'mlops', '__init__.py'))) return candidate;
  }
  return undefined;
}
