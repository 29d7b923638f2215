/**
 * What storing a run's files for `mlops reproduce` costs each run (reading and hashing the pipeline
 * file and the step scripts, one insert-or-ignore transaction), next to what every run already
 * writes at its start (createRun + its parameters) and to a whole run of a small pipeline, measured
 * in the same process on this process's SQLite driver.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadPipeline } from '../src/core/pipeline/load';
import { collectRunFiles } from '../src/core/reproduce/runFiles';
import { executorFor } from '../src/core/runner/executors';
import { pipelineParams } from '../src/core/runner/params';
import { runPipeline } from '../src/core/runner/runner';
import { RunStore } from '../src/core/store';
import { round } from './measure';
import type { BenchResult } from './types';

const RUNS = 200;
const WHOLE_RUNS = 15;
const REPO = path.resolve(__dirname, '../..');

async function medianAsync(fn: () => Promise<unknown>, samples: number): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

export async function run(): Promise<BenchResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mlops-bench-runfiles-'));
  try {
    mkdirSync(path.join(dir, 'data'));
    writeFileSync(path.join(dir, 'data', 'train.csv'), 'x,y\n' + Array.from({ length: 200 }, (_, i) => `${i},${i % 2}`).join('\n') + '\n');
    // A real training script (3.7 kB) and a small config, as a step's command names them.
    writeFileSync(path.join(dir, 'train.py'), readFileSync(path.join(REPO, 'examples', 'python-sklearn-style', 'train.py')));
    writeFileSync(path.join(dir, 'conf.json'), '{"epochs": 3}\n');
    writeFileSync(
      path.join(dir, 'b.pipeline.yaml'),
      `pipeline: b\nseed: 7\ndata: { train: data/train.csv }\nsteps:\n  - name: fit\n    run: true train.py conf.json\n    after: ingest\n`,
    );
    const config = await loadPipeline(path.join(dir, 'b.pipeline.yaml'));
    const store = RunStore.open(path.join(dir, '.mlops', 'store.sqlite'));
    const newRun = () => store.createRun({ pipelineName: config.name, pipelineFile: config.file, pipelineHash: config.hash, toolVersion: 'bench' });
    const ids = Array.from({ length: RUNS + 1 }, () => newRun().id);

    let i = 0;
    const storing = await medianAsync(async () => store.storeRunFiles(ids[i++], await collectRunFiles(config, config.steps)), RUNS);
    const bookkeeping = await medianAsync(async () => store.logParams(newRun().id, pipelineParams(config)), RUNS);
    const whole = await medianAsync(
      () =>
        runPipeline({
          config,
          store,
          artifactsRoot: path.join(dir, '.mlops', 'artifacts'),
          signal: new AbortController().signal,
          reporter: { event: () => undefined, log: () => undefined },
          toolVersion: 'bench',
          executorFor,
        }),
      WHOLE_RUNS,
    );
    const files = await collectRunFiles(config, config.steps);
    store.close();
    return {
      name: 'runFiles',
      figures: {
        [`files stored per run (pipeline file + scripts)`]: files.length,
        [`bytes stored per run`]: files.reduce((n, f) => n + f.bytes.length, 0),
        [`storing them, median per run (ms, ${store.driver.name})`]: round(storing),
        [`reference: createRun + parameters, median (ms)`]: round(bookkeeping),
        [`reference: a whole run, ingest cached + one step (ms)`]: round(whole),
        [`storing / whole run`]: round(storing / whole),
      },
      notes: ['Contents are stored once: the same pipeline file and scripts run again only add one link row each.'],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
