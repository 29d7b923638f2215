import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { object, str } from '../../shared/schema';

/**
 * The label column a served version was trained on, read from its package in the serving folder
 * (`<dir>/<version>/mlops-model.json` → its transform file's `label.column`), so a test request can
 * show the CSV's label beside each prediction. Undefined when the package says nothing usable.
 */
const isManifest = object({ files: object({ transform: str }) });
const isTransform = object({ label: object({ column: str }) });

export async function servedLabelColumn(servingDir: string, version: number): Promise<string | undefined> {
  const packageDir = path.join(servingDir, String(version));
  try {
    const manifest: unknown = JSON.parse(await fsp.readFile(path.join(packageDir, 'mlops-model.json'), 'utf8'));
    if (!isManifest(manifest)) return undefined;
    const transform: unknown = JSON.parse(await fsp.readFile(path.join(packageDir, manifest.files.transform), 'utf8'));
    return isTransform(transform) ? transform.label.column : undefined;
  } catch {
    return undefined;
  }
}
