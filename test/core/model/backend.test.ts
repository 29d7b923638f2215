import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadBackend } from '../../../src/core/model/backend';
import { isUserError } from '../../../src/core/util/problems';

const hasTfjsNode = (() => {
  try {
    require.resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
})();

describe('tfjs backend', () => {
  it('loads wasm and cpu on request, each once, and switches between them', async () => {
    const wasm = await loadBackend('wasm');
    assert.equal(wasm.name, 'wasm');
    assert.equal(wasm.tf.getBackend(), 'wasm');
    const cpu = await loadBackend('cpu');
    assert.equal(cpu.name, 'cpu');
    assert.equal(cpu.tf.getBackend(), 'cpu');
    assert.equal((await loadBackend('wasm')).tf.getBackend(), 'wasm');
  });

  it('auto picks tfjs-node when it loads, else wasm', async () => {
    assert.equal((await loadBackend('auto')).name, hasTfjsNode ? 'tensorflow' : 'wasm');
  });

  it('an explicitly asked backend that cannot load is a UserError at train.backend', { skip: hasTfjsNode && 'tfjs-node is installed here' }, async () => {
    const location = { file: '/p/taxi.pipeline.yaml', line: 12, column: 3 };
    await assert.rejects(loadBackend('node', location), (e: unknown) => {
      assert.ok(isUserError(e));
      assert.match(e.message, /^\/p\/taxi\.pipeline\.yaml:12:3, field train\.backend: error: backend: node needs @tensorflow\/tfjs-node/);
      assert.match(e.message, /hint: install it/);
      return true;
    });
  });
});
