/**
 * Lineage on a store of 10,000 runs shaped like real use: the data changes every 50 runs (a new
 * span: ingest to transform run again), the other runs reuse that work (cached executions) and
 * train anew, every 10th run pushes a version, and pushed versions were served and monitored.
 * Each query is timed against getRunDetails on the same store, the panel's other per-run read.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunStore } from '../src/core/store';
import type { LineageQuery } from '../src/core/store/types';
import { elapsedMs, medianMs, round } from './measure';
import type { BenchResult } from './types';

const RUNS = 10_000;
const RUNS_PER_SPAN = 50;
const PUSH_EVERY = 10;
const WINDOWS_PER_VERSION = 20;
const TARGET_MS = 100;

interface Shared {
  examples: number;
  statistics: number;
  schema: number;
  anomalies: number;
  graph: number;
  transformed: number;
  producers: Record<string, number>;
}

function buildStore(file: string): { store: RunStore; buildMs: number; dataFile: string } {
  const store = RunStore.open(file);
  let shared: Shared | undefined;
  let version = 0;
  const artifact = (type: string, uri: string, properties: Record<string, unknown> = {}) => {
    const a = store.createArtifact({ type, uri, properties });
    return store.publishArtifact(a.id, { contentHash: `sha256:${a.id}`, sizeBytes: 1024 }).id;
  };
  const buildMs = elapsedMs(() => {
    for (let i = 0; i < RUNS; i++) {
      const run = store.createRun({ pipelineName: 'taxi', pipelineFile: 'taxi.pipeline.yaml', pipelineHash: 'sha256:p', toolVersion: '0.1.0', seed: i });
      const execution = (component: string, inputs: Record<string, number>, outputs: Record<string, number>, status: 'complete' | 'cached') => {
        const id = store.startExecution(run.id, component, component, {}, `${component}-${i}`).id;
        for (const [name, a] of Object.entries(inputs)) store.linkArtifact(id, a, 'input', name);
        for (const [name, a] of Object.entries(outputs)) store.linkArtifact(id, a, 'output', name);
        store.finishExecution(id, status);
        return id;
      };
      const span = Math.floor(i / RUNS_PER_SPAN);
      if (i % RUNS_PER_SPAN === 0) {
        const files = [0, 1, 2].map((d) => artifact('DataFile', `/data/spans/trips-${span * 3 + d}.csv`));
        const examples = artifact('Examples', `/a/${run.id}/examples`);
        const statistics = artifact('Statistics', `/a/${run.id}/statistics`);
        const schema = artifact('Schema', '/w/schema.json');
        const anomalies = artifact('Anomalies', `/a/${run.id}/anomalies`);
        const graph = artifact('TransformGraph', `/a/${run.id}/graph`);
        const transformed = artifact('TransformedExamples', `/a/${run.id}/transformed`);
        execution('ingest', Object.fromEntries(files.map((f, d) => [`train/${d}`, f])), { examples }, 'complete');
        execution('statistics', { examples }, { statistics }, 'complete');
        execution('schema', { statistics }, { schema }, 'complete');
        execution('validate', { statistics, schema }, { anomalies }, 'complete');
        execution('transform', { examples, schema, anomalies }, { transform_graph: graph, transformed_examples: transformed }, 'complete');
        shared = { examples, statistics, schema, anomalies, graph, transformed, producers: {} };
      } else if (shared) {
        const s = shared;
        execution('ingest', {}, { examples: s.examples }, 'cached');
        execution('statistics', { examples: s.examples }, { statistics: s.statistics }, 'cached');
        execution('schema', { statistics: s.statistics }, { schema: s.schema }, 'cached');
        execution('validate', { statistics: s.statistics, schema: s.schema }, { anomalies: s.anomalies }, 'cached');
        execution(
          'transform',
          { examples: s.examples, schema: s.schema, anomalies: s.anomalies },
          { transform_graph: s.graph, transformed_examples: s.transformed },
          'cached',
        );
      }
      const s = shared!;
      const model = artifact('Model', `/a/${run.id}/model`);
      execution('train', { transform_graph: s.graph, transformed_examples: s.transformed }, { model }, 'complete');
      const blessing = artifact('ModelBlessing', `/a/${run.id}/blessing`);
      const evaluation = artifact('ModelEvaluation', `/a/${run.id}/evaluation`);
      execution('evaluate', { model, examples: s.examples }, { blessing, evaluation }, 'complete');
      if (i % PUSH_EVERY === 0) {
        version++;
        store.registerModelVersion({
          model: 'taxi',
          runId: run.id,
          uri: `/a/${run.id}/model`,
          weightsHash: `w${i}`,
          task: 'binary',
          blessed: true,
          evaluationUri: null,
          metrics: {},
        });
        const pushed = artifact('PushedModel', `/serving/taxi/${version}`, { model: 'taxi', version, alias: 'production' });
        execution('push', { model, blessing, evaluation }, { pushed_model: pushed }, 'complete');
        store.setModelAlias('taxi', 'production', version, { reason: `pushed by run #${run.id}`, forced: false });
        for (let w = 0; w < WINDOWS_PER_VERSION; w++) {
          const window = { key: `v${version}/rows@${w}`, model: 'taxi', version, start: w * 1000, end: w * 1000 + 999, rows: 100 };
          store.recordWindow({ window, labelled: 0, latency: null, drift: [], predictionDrift: [], invalid: {}, notes: [] });
          if (w % 10 === 9) {
            store.recordAlert({
              model: 'taxi',
              version,
              kind: 'drift',
              subject: 'fare',
              method: 'wasserstein',
              value: 0.3,
              threshold: 0.1,
              window,
              message: 'fare: wasserstein 0.3 > 0.1',
            });
          }
        }
      }
      store.finishRun(run.id, 'complete');
    }
  });
  return { store, buildMs, dataFile: '/data/spans/trips-3.csv' };
}

export async function run(): Promise<BenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-bench-lineage-'));
  try {
    const { store, buildMs, dataFile } = buildStore(path.join(dir, 'store.sqlite'));
    const middleVersion = Math.floor(RUNS / PUSH_EVERY / 2);
    const lateRun = RUNS - 7;
    const queries: [string, () => LineageQuery][] = [
      [`model taxi@${middleVersion}, upstream`, () => ({ subject: { kind: 'model', model: 'taxi', version: middleVersion }, direction: 'up' })],
      [`model taxi@${middleVersion}, both ways`, () => ({ subject: { kind: 'model', model: 'taxi', version: middleVersion } })],
      [`run #${lateRun}, both ways`, () => ({ subject: { kind: 'run', runId: lateRun } })],
      [
        `data file, downstream (${RUNS_PER_SPAN} runs built on it)`,
        () => ({ subject: { kind: 'artifact', artifactIds: store.artifactIdsAt([dataFile]) }, direction: 'down' }),
      ],
    ];
    const details = medianMs(() => store.getRunDetails(lateRun));
    const figures: Record<string, number | string> = {
      [`build ${RUNS.toLocaleString('en-US')} runs (s)`]: round(buildMs / 1000),
      'store size (MB)': round(fs.statSync(path.join(dir, 'store.sqlite')).size / 1e6),
      'getRunDetails, reference (ms)': round(details),
    };
    for (const [name, query] of queries) {
      const nodes = store.lineage(query()).nodes.length;
      const ms = medianMs(() => store.lineage(query()));
      figures[`lineage ${name}: ${nodes} nodes (ms)`] = round(ms);
      figures[`lineage ${name} / getRunDetails`] = round(ms / details);
    }
    store.close();
    return {
      name: 'lineage',
      figures,
      notes: [
        `medians of 15 queries on ${store.driver.name}; ${RUNS.toLocaleString('en-US')} runs, ~9 executions each, data changing every ${RUNS_PER_SPAN} runs, a version pushed every ${PUSH_EVERY} with ${WINDOWS_PER_VERSION} monitored windows`,
        `target: every lineage query < ${TARGET_MS} ms, so opening the panel feels immediate`,
      ],
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
