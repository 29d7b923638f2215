/**
 * An ONNX model served next to a tfjs one, in the same run: single-row predict throughput and
 * latency at 1 and 16 keep-alive clients through `mlops serve` (TF Serving REST), each server in its
 * own process. The ONNX model is examples/python-sklearn-style's PyTorch network (13 inputs, 32-16
 * hidden), trained by its pipeline; the tfjs model a DNN of the same hidden sizes on the transformed
 * taxi features. Needs a Python that imports torch (Debian: python3-torch).
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI, measure, mlops, REPO_ROOT, requestBodies, startServer, stop, TAXI } from './httpLoad';
import { round } from './measure';
import type { BenchResult } from './types';
import { taxiPipeline } from '../test/helpers/taxiPipeline';
import { pythonWith } from '../test/helpers/python';

const CONCURRENCY = [1, 16];
const EXAMPLE = path.join(REPO_ROOT, 'examples', 'python-sklearn-style');

/** The example's pipeline, pointed at the shared taxi data. */
function torchPipeline(): string {
  return readFileSync(path.join(EXAMPLE, 'taxi-torch.pipeline.yaml'), 'utf8')
    .replaceAll('../data/taxi', TAXI)
    .replace('python3 train.py', `python3 ${path.join(EXAMPLE, 'train.py')}`)
    .replace('script: train.py', `script: ${path.join(EXAMPLE, 'train.py')}`);
}

export async function run(): Promise<BenchResult> {
  const name = 'ONNX vs tfjs serving (single-row predict over HTTP, loopback)';
  const { python, skip } = pythonWith(['torch']);
  if (!python) return { name, figures: { skipped: skip! } };
  const root = mkdtempSync(path.join(os.tmpdir(), 'mlops-bench-onnx-'));
  const children: ChildProcess[] = [];
  const figures: BenchResult['figures'] = {};
  try {
    const bin = path.join(root, '.bin');
    mkdirSync(bin);
    symlinkSync(spawnSync(python, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim(), path.join(bin, 'python3'));
    writeFileSync(path.join(root, 'tfjs.pipeline.yaml'), taxiPipeline(TAXI, { hidden: [32, 16], epochs: 3 }));
    writeFileSync(path.join(root, 'torch.pipeline.yaml'), torchPipeline());
    mlops(['run', 'tfjs.pipeline.yaml'], root);
    mlops(['push', '1', '--force', '--model', 'taxi'], root);
    mlops(['run', 'torch.pipeline.yaml'], root, { PATH: `${bin}${path.delimiter}${process.env.PATH}` });
    const serving = (model: string) => path.join(root, '.mlops', 'serving', model);
    const signature = JSON.parse(readFileSync(path.join(serving('taxi'), '1', 'mlops-model.json'), 'utf8')) as {
      signature: { inputs: { name: string; type: string }[] };
    };
    // The same request bodies for both: every raw column the tfjs model reads (the ONNX model reads a subset).
    const bodies = requestBodies(signature.signature.inputs, 1000);
    for (const model of ['taxi', 'taxi-torch']) {
      const server = await startServer(
        [CLI, 'serve', '--dir', serving(model), '--model', model, '--port', '0', '--json', '--log-dir', path.join(root, 'logs')],
        root,
      );
      children.push(server.child);
      const flavor = model === 'taxi' ? 'tfjs' : 'onnx';
      for (const clients of CONCURRENCY) {
        const m = await measure(`${server.url}/v1/models/${model}:predict`, bodies, clients);
        const label = `${clients} client${clients === 1 ? '' : 's'}`;
        figures[`${label}: ${flavor} req/s`] = round(m.rps);
        figures[`${label}: ${flavor} p50 / p99 ms`] = `${round(m.p50)} / ${round(m.p99)}`;
        figures[`${label}: ${flavor} failed requests`] = m.failures;
      }
      await stop(server.child);
    }
    for (const clients of CONCURRENCY) {
      const label = `${clients} client${clients === 1 ? '' : 's'}`;
      figures[`${label}: onnx / tfjs throughput`] = round(Number(figures[`${label}: onnx req/s`]) / Number(figures[`${label}: tfjs req/s`]));
    }
    figures.cores = os.availableParallelism();
    return {
      name,
      figures,
      notes: [
        'both servers: the real `mlops serve` in its own process, answering TF Serving REST; clients are keep-alive connections in the bench process',
        'ONNX: onnxruntime-node (CPU) runs the exported PyTorch graph, preprocessing included; tfjs: the wasm backend runs the DNN after the packaged transform',
      ],
    };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    rmSync(root, { recursive: true, force: true });
  }
}
