import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ArtifactLayout } from '../../../src/core/runner/publish';
import { tempDir } from '../../helpers/tmp';

test('sweepTemporary removes what killed runs left half-written and keeps what running executions write', async () => {
  const root = tempDir();
  const layout = new ArtifactLayout(root);
  const killed = await layout.temporaryDir(5, 'model');
  await fs.writeFile(path.join(killed, 'weights.bin'), 'half');
  const live = await layout.temporaryDir(7, 'examples');
  await fs.mkdir(path.join(root, '.tmp', 'stray'));
  const removed = await layout.sweepTemporary(new Set([7]));
  assert.deepEqual(removed.map((p) => path.basename(p)).sort(), [path.basename(killed), 'stray'].sort());
  assert.deepEqual(await fs.readdir(path.join(root, '.tmp')), [path.basename(live)]);
  assert.deepEqual(await new ArtifactLayout(tempDir()).sweepTemporary(new Set()), [], 'no .tmp folder yet: nothing to do');
});
