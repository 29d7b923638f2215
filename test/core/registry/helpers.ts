import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MANIFEST_FILE, MODEL_FILE, WEIGHTS_FILE } from '../../../src/core/model/package';
import { MODEL_PACKAGE_FORMAT, MODEL_PACKAGE_VERSION, type ModelManifest } from '../../../src/core/model/types';
import { artifactsRootFor } from '../../../src/core/runner/publish';
import type { RunStore } from '../../../src/core/store';
import { newRun } from '../store/helpers';

export { FakeClock, newRun, openTempStore, tempDir } from '../store/helpers';

/**
 * A model package as the train component writes it, with weights made from `seed` so packages
 * differ, and of `weightBytes` bytes so copies take a while.
 */
export function writeFakePackage(dir: string, seed: string, weightBytes = 4096): { weightsHash: string } {
  fs.mkdirSync(dir, { recursive: true });
  const weights = Buffer.alloc(weightBytes);
  let block = createHash('sha256').update(seed).digest();
  for (let offset = 0; offset < weightBytes; offset += block.length) {
    block.copy(weights, offset);
    block = createHash('sha256').update(block).digest();
  }
  const weightsHash = `sha256:${createHash('sha256').update(weights).digest('hex')}`;
  fs.writeFileSync(path.join(dir, WEIGHTS_FILE), weights);
  fs.writeFileSync(path.join(dir, MODEL_FILE), JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: [WEIGHTS_FILE], weights: [] }] }));
  fs.writeFileSync(path.join(dir, 'transform.json'), JSON.stringify({ format: 'mlops-transform', seed }));
  const manifest: ModelManifest = {
    format: MODEL_PACKAGE_FORMAT,
    version: MODEL_PACKAGE_VERSION,
    task: 'binary',
    modelType: 'linear',
    backend: 'cpu',
    weightsHash,
    signature: { inputs: [{ name: 'fare', type: 'float', required: false }], outputs: [{ name: 'probability', shape: [1], description: 'P(tip)' }] },
    files: { model: MODEL_FILE, transform: 'transform.json' },
  };
  fs.writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
  return { weightsHash };
}

export interface TrainedRunOptions {
  /** Seed of the weights; runs with the same seed have the same weights hash. */
  seed?: string;
  weightBytes?: number;
  /** Adds an evaluate execution reading the model, with this verdict. */
  blessed?: boolean;
  /** Overall evaluation metrics, logged as `eval.<name>`. */
  evalMetrics?: Record<string, number>;
  /** Final training metrics, logged as `final.<name>`. */
  finalMetrics?: Record<string, number>;
}

export interface TrainedRun {
  runId: number;
  modelUri: string;
  modelArtifactId: number;
  weightsHash: string;
  evaluationUri?: string;
  blessingUri?: string;
}

/** A finished run as the runner records one: train publishes a `Model`, evaluate its `ModelBlessing` and `ModelEvaluation`. */
export function trainedRun(store: RunStore, options: TrainedRunOptions = {}): TrainedRun {
  const root = artifactsRootFor(store.path);
  const run = store.createRun(newRun());
  const train = store.startExecution(run.id, 'train', 'train');
  const modelUri = path.join(root, 'taxi', 'train', String(train.id), 'model');
  const { weightsHash } = writeFakePackage(modelUri, options.seed ?? `run-${run.id}`, options.weightBytes);
  const model = publish(store, train.id, 'model', 'Model', modelUri, { weightsHash, task: 'binary' });
  const finals = Object.entries(options.finalMetrics ?? { loss: 0.5, val_auc: 0.8 }).map(([key, value]) => ({ key: `final.${key}`, value }));
  store.logMetrics(run.id, train.id, finals);
  store.finishExecution(train.id, 'complete');
  const result: TrainedRun = { runId: run.id, modelUri, modelArtifactId: model, weightsHash };
  if (options.blessed !== undefined) {
    const evaluate = store.startExecution(run.id, 'evaluate', 'evaluate');
    store.linkArtifact(evaluate.id, model, 'input', 'train.model');
    result.blessingUri = path.join(root, 'taxi', 'evaluate', String(evaluate.id), 'blessing');
    result.evaluationUri = path.join(root, 'taxi', 'evaluate', String(evaluate.id), 'evaluation');
    fs.mkdirSync(result.blessingUri, { recursive: true });
    fs.writeFileSync(path.join(result.blessingUri, 'blessing.json'), JSON.stringify({ blessed: options.blessed, checks: [] }));
    fs.mkdirSync(result.evaluationUri, { recursive: true });
    fs.writeFileSync(path.join(result.evaluationUri, 'evaluation.json'), '{}');
    publish(store, evaluate.id, 'evaluation', 'ModelEvaluation', result.evaluationUri, {});
    publish(store, evaluate.id, 'blessing', 'ModelBlessing', result.blessingUri, { blessed: options.blessed });
    const evals = Object.entries(options.evalMetrics ?? {}).map(([key, value]) => ({ key: `eval.${key}`, value }));
    if (evals.length) store.logMetrics(run.id, evaluate.id, evals);
    store.finishExecution(evaluate.id, 'complete');
  }
  store.finishRun(run.id, 'complete');
  return result;
}

function publish(store: RunStore, executionId: number, name: string, type: string, uri: string, properties: Record<string, unknown>): number {
  const artifact = store.createArtifact({ type, uri, properties });
  store.publishArtifact(artifact.id, { contentHash: `sha256:${name}-${executionId}`, sizeBytes: 1 });
  store.linkArtifact(executionId, artifact.id, 'output', name);
  return artifact.id;
}

/** A run whose train was cached: it links the earlier run's model as its own output, as the runner does. */
export function cachedRun(store: RunStore, from: TrainedRun): number {
  const run = store.createRun(newRun());
  const train = store.startExecution(run.id, 'train', 'train');
  store.linkArtifact(train.id, from.modelArtifactId, 'output', 'model');
  store.finishExecution(train.id, 'cached');
  store.finishRun(run.id, 'complete');
  return run.id;
}

/** Relative path → sha256 of every file under `dir`. */
export function fileDigests(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory()) Object.assign(out, fileDigests(dir, rel));
    else
      out[rel] = createHash('sha256')
        .update(fs.readFileSync(path.join(dir, rel)))
        .digest('hex');
  }
  return out;
}
