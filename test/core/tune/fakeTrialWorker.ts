import { existsSync, promises as fs, writeSync } from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isTrialWorkerProcess, serveTrialJobs, type WorkerCallbacks, type WorkerJob } from '../../../src/core/tune/worker';
import { UserError } from '../../../src/core/util/problems';

/**
 * A trial worker entry for the process pool tests: it trains nothing, but behaves like the real
 * one over IPC (metrics per epoch, checkpoints, abort) and can misbehave, chosen by the trial's
 * batch size.
 */
export const BATCH_SIZE = { crash: 13, hang: 14, userError: 15, meetPeer: 16 } as const;

async function fakeTrain(job: WorkerJob, callbacks: WorkerCallbacks) {
  callbacks.log(`pid ${process.pid}`);
  callbacks.onBackend('cpu');
  const { batchSize, learningRate } = job.config;
  if (batchSize === BATCH_SIZE.userError) throw UserError.at('the label column is gone', { file: 'data.csv', row: 3 });
  if (batchSize === BATCH_SIZE.hang) return new Promise<never>(() => undefined); // ignores the abort too
  let peers = 0;
  if (batchSize === BATCH_SIZE.meetPeer) peers = await meetPeer(job);
  const checkpoint = path.join(job.checkpointDir, 'checkpoint.json');
  const last = job.resume && existsSync(checkpoint) ? (JSON.parse(await fs.readFile(checkpoint, 'utf8')) as { epoch: number }).epoch : 0;
  for (let epoch = last + 1; epoch <= job.config.epochs; epoch++) {
    if (callbacks.signal.aborted) throw callbacks.signal.reason;
    await sleep(5);
    if (batchSize === BATCH_SIZE.crash) {
      writeSync(2, 'fake crash: out of memory\n');
      process.exit(3);
    }
    const value = learningRate > 0.05 ? NaN : Math.abs(Math.log10(learningRate) - Math.log10(0.003)) + 1 / epoch;
    callbacks.onMetrics([
      { key: 'val_loss', value, step: epoch },
      { key: 'peers', value: peers, step: epoch },
    ]);
    await fs.writeFile(checkpoint, JSON.stringify({ epoch }));
  }
  return { epochs: Math.max(last, job.config.epochs), stoppedEarly: false };
}

/**
 * Waits until another trial is running at the same time (a file per running trial in the
 * checkpoint root); returns how many were running, or 0 when none came within 20 s.
 */
async function meetPeer(job: WorkerJob): Promise<number> {
  const root = path.dirname(path.dirname(job.checkpointDir));
  await fs.writeFile(path.join(root, `running-${job.trial}`), String(process.pid));
  for (let i = 0; i < 2000; i++) {
    const running = (await fs.readdir(root)).filter((f) => f.startsWith('running-')).length;
    if (running >= 2) return running;
    await sleep(10);
  }
  return 0;
}

if (isTrialWorkerProcess()) serveTrialJobs(fakeTrain);
