import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { TensorInfo } from '@tensorflow/tfjs';
import type { TrainConfig } from '../pipeline/config';
import { UserError, type SourceLocation } from '../util/problems';
import type { BackendName } from './types';
import { errorMessage } from '../util/errorMessage';

/** The tfjs namespace models are built with: tfjs-node's own copy when it loads, else the bundled one. */
export type Tf = typeof import('@tensorflow/tfjs');

export interface Backend {
  tf: Tf;
  name: BackendName;
}

export type BackendChoice = TrainConfig['backend'];

const WASM_PACKAGE = '@tensorflow/tfjs-backend-wasm';
const WASM_FILE = 'tfjs-backend-wasm.wasm';
const loaded = new Map<BackendChoice, Promise<Backend>>();

/**
 * The tfjs backend for `choice`, loaded once per process. `auto` tries tfjs-node (native
 * TensorFlow), then WebAssembly, then plain JavaScript; an explicitly asked backend that cannot
 * load is the user's problem to fix, so it is a UserError at `location`.
 */
export async function loadBackend(choice: BackendChoice, location?: SourceLocation): Promise<Backend> {
  let pending = loaded.get(choice);
  if (!pending) {
    pending = pick(choice, location);
    loaded.set(choice, pending);
    pending.catch(() => loaded.delete(choice));
  }
  const backend = await pending;
  // Another choice may have switched the global backend of the shared namespace since.
  if (backend.tf.getBackend() !== backend.name) await backend.tf.setBackend(backend.name);
  return backend;
}

async function pick(choice: BackendChoice, location: SourceLocation | undefined): Promise<Backend> {
  const where = location && { ...location, field: 'train.backend' };
  if (choice === 'node' || choice === 'auto') {
    const node = loadNode();
    if (node) return node;
    if (choice === 'node') {
      throw UserError.at(
        'backend: node needs @tensorflow/tfjs-node, which is not installed or does not load on this machine',
        where,
        'install it with `npm install @tensorflow/tfjs-node`, or use backend: auto (WebAssembly, then plain JavaScript)',
      );
    }
  }
  const tf = await import('@tensorflow/tfjs');
  // Production mode: no per-op debug checks and no console advice to install tfjs-node.
  tf.env().set('PROD', true);
  if (choice === 'wasm' || choice === 'auto') {
    const failure = await startWasm(tf);
    if (!failure) return { tf, name: 'wasm' };
    if (choice === 'wasm') throw UserError.at(`backend: wasm could not start: ${failure}`, where, 'use backend: cpu (slower, same results on every machine)');
  }
  if (!(await tf.setBackend('cpu'))) throw new Error('the tfjs cpu backend did not start');
  registerSegmentSum(tf, 'cpu');
  return { tf, name: 'cpu' };
}

function loadNode(): Backend | undefined {
  try {
    // Kept external by the bundler: it is a native optional dependency with its own tfjs copy.
    const tf = require('@tensorflow/tfjs-node') as Tf;
    return tf.getBackend() === 'tensorflow' ? { tf, name: 'tensorflow' } : undefined;
  } catch {
    return undefined;
  }
}

let wasmStart: Promise<string | undefined> | undefined;

/** Starts the wasm backend once (`auto` and `wasm` share it); returns why it could not, or undefined. */
function startWasm(tf: Tf): Promise<string | undefined> {
  wasmStart ??= initWasm(tf);
  return wasmStart;
}

async function initWasm(tf: Tf): Promise<string | undefined> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(wasmFolder());
    // One thread: the same summation order on every machine (and no worker script to ship).
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    if (!(await tf.setBackend('wasm'))) return 'the backend did not initialise';
    registerSegmentSum(tf, 'wasm');
    return undefined;
  } catch (e) {
    return errorMessage(e);
  }
}

/**
 * The `.wasm` binaries: next to the bundle (`dist/wasm/`, copied by scripts/build.mjs) or, when
 * running from compiled sources, in the package itself.
 */
function wasmFolder(): string {
  const bundled = path.join(__dirname, 'wasm');
  if (existsSync(path.join(bundled, WASM_FILE))) return bundled + path.sep;
  // Resolved at run time only (a variable, so the bundler does not try to resolve it at build time).
  const manifest = WASM_PACKAGE + '/package.json';
  return path.join(path.dirname(require.resolve(manifest)), 'dist') + path.sep;
}

/**
 * UnsortedSegmentSum is the gradient of an embedding lookup (gather). The wasm backend has none,
 * and the cpu backend's makes one pass over the batch per table row (1,000 passes for a
 * 1,000-row table). This one sums rows in order in one pass, in JavaScript, so it is
 * deterministic on both; the summed gradients are small.
 */
function registerSegmentSum(tf: Tf, backendName: 'wasm' | 'cpu'): void {
  if (tf.getKernel('UnsortedSegmentSum', backendName)) tf.unregisterKernel('UnsortedSegmentSum', backendName);
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
      const segments = (attrs as { numSegments: number }).numSegments;
      const io = backend as unknown as BackendIo;
      const values = io.readSync(x.dataId);
      const ids = io.readSync(segmentIds.dataId);
      const inner = ids.length === 0 ? 0 : values.length / ids.length;
      const out = new Float32Array(segments * inner);
      for (let i = 0; i < ids.length; i++) {
        const s = ids[i];
        if (s < 0 || s >= segments) continue;
        for (let j = 0; j < inner; j++) out[s * inner + j] += values[i * inner + j];
      }
      const shape = [segments, ...x.shape.slice(segmentIds.shape.length)];
      return backendName === 'wasm' ? io.makeOutput!(shape, x.dtype, undefined, out) : io.makeTensorInfo!(shape, x.dtype, out);
    },
  });
}

/** The backend methods the kernel above uses: wasm's makeOutput, cpu's makeTensorInfo (cpu has a makeOutput of another shape). */
interface BackendIo {
  readSync(dataId: object): ArrayLike<number>;
  makeOutput?(shape: number[], dtype: string, memoryOffset: undefined, values: Float32Array): TensorInfo;
  makeTensorInfo?(shape: number[], dtype: string, values: Float32Array): TensorInfo;
}
