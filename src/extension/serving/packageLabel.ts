import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { hasFields, isObj, isStr } from '../../shared/guards';

/**
 * The label column a served version was trained on, read from its package in the serving folder
 * (`<dir>/<version>/mlops-model.json` → its transform file's `label.column`), so a test request can
 * show the CSV's label beside each prediction. Undefined when the package says nothing usable.
 */
export async function servedLabelColumn(servingDir: string, version: number): Promise<string | undefined> {
  const packageDir = path.join(servingDir, String(version));
  try {
    const manifest: unknown = JSON.parse(await fsp.readFile(path.join(packageDir, 'mlops-model.json'), 'utf8'));
    if (!hasFields(manifest, { files: (f) => hasFields(f, { transform: isStr }) })) return undefined;
    const transformFile = path.join(packageDir, (manifest.files as { transform: string }).transform);
    const transform: unknown = JSON.parse(await fsp.readFile(transformFile, 'utf8'));
    return isObj(transform) && hasFields(transform.label, { column: isStr }) ? (transform.label as { column: string }).column : undefined;
  } catch {
    return undefined;
  }
}
