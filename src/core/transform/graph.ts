import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../util/atomic';
import { UserError } from '../util/problems';
import { TRANSFORM_FORMAT, TRANSFORM_VERSION, type FittedTransform } from './types';

/** The transform graph artifact: a folder holding the fitted transform as readable JSON. */
export const TRANSFORM_GRAPH_FILE = 'transform.json';

export async function writeTransformGraph(dir: string, fitted: FittedTransform): Promise<string> {
  const file = path.join(dir, TRANSFORM_GRAPH_FILE);
  await writeFileAtomic(file, JSON.stringify(fitted, null, 2) + '\n');
  return file;
}

/** Reads a transform graph folder (or its transform.json) and checks that this version can apply it. */
export async function loadTransformGraph(dir: string): Promise<FittedTransform> {
  const file = dir.endsWith('.json') ? dir : path.join(dir, TRANSFORM_GRAPH_FILE);
  const text = await fs.readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT')
      throw UserError.at(`no transform graph here (${TRANSFORM_GRAPH_FILE} is missing)`, { file: dir }, 'run the transform component again');
    throw e;
  });
  let value: Partial<FittedTransform>;
  try {
    value = JSON.parse(text) as Partial<FittedTransform>;
  } catch (e) {
    throw UserError.at(`the transform graph is not valid JSON (${(e as Error).message})`, { file }, 'run the transform component again');
  }
  if (value?.format !== TRANSFORM_FORMAT) {
    throw UserError.at(`not a transform graph: format is ${JSON.stringify(value?.format)}, expected "${TRANSFORM_FORMAT}"`, { file, field: 'format' });
  }
  if (value.version !== TRANSFORM_VERSION) {
    throw UserError.at(
      `transform graph version ${value.version} cannot be read by this version (it reads version ${TRANSFORM_VERSION})`,
      { file, field: 'version' },
      'run the transform again with this version, or use the version that wrote it',
    );
  }
  for (const field of ['inputs', 'features'] as const) {
    if (!Array.isArray(value[field])) throw UserError.at(`the transform graph has no '${field}' list`, { file, field }, 'run the transform component again');
  }
  if (!value.layout || !Array.isArray(value.layout.numeric) || !Array.isArray(value.layout.categorical)) {
    throw UserError.at("the transform graph has no 'layout'", { file, field: 'layout' }, 'run the transform component again');
  }
  return value as FittedTransform;
}
