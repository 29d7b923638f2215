import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { FittedTransform, TransformedSplit } from '../transform/types';
import type { TrialJobResult } from './types';
import { isTrialWorkerProcess, serveTrialJobs, type WorkerCallbacks, type WorkerJob } from './worker';

/**
 * The module a trial worker process loads (pool.ts): under tsc this file, in the esbuild bundle the
 * bundle itself (`__filename` is then dist/mlops.js), so the bundled CLI needs no second entry.
 */
export const TRAIN_WORKER_ENTRY = __filename;

interface TrialData {
  transform: FittedTransform;
  train: TransformedSplit;
  validation: TransformedSplit;
}

/** A worker trains many jobs on the same artifacts: open them once per process. */
let opened: { key: string; data: Promise<TrialData> } | undefined;

function trialData(job: WorkerJob): Promise<TrialData> {
  const key = `${job.transformGraph}\0${job.transformedExamples}`;
  if (opened?.key !== key) {
    const data = (async () => {
      // Loaded here, not at the top: the parent process imports this module only for its file name.
      const { loadTransformGraph, openTransformedSplit, TRAIN_SPLIT } = await import('../transform/index.js');
      const [transform, train, validation] = await Promise.all([
        loadTransformGraph(job.transformGraph),
        openTransformedSplit(job.transformedExamples, TRAIN_SPLIT),
        openTransformedSplit(job.transformedExamples, 'eval'),
      ]);
      return { transform, train, validation };
    })();
    // A failed open is retried by the next job rather than remembered.
    data.catch(() => {
      if (opened?.data === data) opened = undefined;
    });
    opened = { key, data };
  }
  return opened.data;
}

/** One trial job: trainModel on the transformed splits, continuing from the trial's checkpoints. */
export async function trainTrialJob(job: WorkerJob, callbacks: WorkerCallbacks): Promise<TrialJobResult> {
  const { trainModel } = await import('../model/train.js');
  const data = await trialData(job);
  // The package a trial's training writes is not kept: the final model trains with the best params.
  const outputDir = path.join(job.checkpointDir, 'model');
  await fs.rm(outputDir, { recursive: true, force: true });
  const result = await trainModel({
    config: job.config,
    transform: data.transform,
    train: data.train,
    validation: data.validation,
    checkpointDir: path.join(job.checkpointDir, 'checkpoints'),
    resume: job.resume,
    outputDir,
    signal: callbacks.signal,
    onBackend: callbacks.onBackend,
    onMetrics: callbacks.onMetrics,
    progress: () => undefined,
    log: callbacks.log,
  });
  return { epochs: result.epochs, stoppedEarly: result.stoppedEarly, backend: result.backend };
}

if (isTrialWorkerProcess()) serveTrialJobs(trainTrialJob);
