/**
 * The run store on both SQLite drivers, side by side in one run: the built-in node:sqlite (desktop VS
 * Code and Node ≥ 22.13) and better-sqlite3 (the CLI on Node 20), each measured by storeWorkload.ts in
 * a child process on a Node that has it (Node 24 is installed from the npm registry when needed).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { DriverName } from '../src/core/store/driver/types';
import { nodesByDriver } from '../test/helpers/storeWorkers';
import { round } from './measure';
import { STORE_WORKLOAD, type StoreFigures } from './storeWorkload';
import type { BenchResult } from './types';

const REPO = path.resolve(__dirname, '../..');
const INSERT_RATIO_TARGET = 0.8;
const API_RATIO_TARGET = 0.5;
const LIST_TARGET_MS = 50;

function node24(): string {
  return execFileSync('bash', [path.join(REPO, 'scripts/node-setup.sh'), '24'], { encoding: 'utf8' }).trim();
}

function measureOn(node: string, driver: DriverName): StoreFigures {
  const child = spawnSync(node, [path.join(__dirname, 'storeWorkload.js')], {
    encoding: 'utf8',
    env: { ...process.env, MLOPS_SQLITE_DRIVER: driver },
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`the ${driver} workload on ${node} failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as StoreFigures;
}

export async function run(): Promise<BenchResult> {
  const nodes = nodesByDriver([process.execPath, node24()]);
  const drivers = (['better-sqlite3', 'node:sqlite'] as const).filter((d) => nodes.has(d));
  const measured = new Map(drivers.map((driver) => [driver, measureOn(nodes.get(driver)!, driver)]));
  const figures: Record<string, number | string> = {};
  for (const [driver, f] of measured) {
    const on = `${driver} (SQLite ${f.sqliteVersion}, Node ${f.node})`;
    figures[`${on}: logMetrics, ${STORE_WORKLOAD.stepKeys}-point batches (points/s)`] = f.stepsApi;
    figures[`${on}: raw inserts, ${STORE_WORKLOAD.stepKeys}-point batches (points/s)`] = f.stepsRaw;
    figures[`${on}: MetricLogger, flush every ${STORE_WORKLOAD.loggerBatch} (points/s)`] = f.loggerApi;
    figures[`${on}: raw inserts, ${STORE_WORKLOAD.loggerBatch}-point batches (points/s)`] = f.loggerRaw;
    figures[`${on}: ratio MetricLogger / raw`] = round(f.loggerApi / f.loggerRaw);
    figures[`${on}: build ${STORE_WORKLOAD.runs.toLocaleString('en-US')} runs (s)`] = f.buildSeconds;
    figures[`${on}: listRuns first page (ms)`] = f.listFirstPage;
    figures[`${on}: listRuns pipeline + status filter (ms)`] = f.listFiltered;
    figures[`${on}: listRuns text search (ms)`] = f.listText;
    figures[`${on}: listRuns by duration (ms)`] = f.listByDuration;
    figures[`${on}: getRunDetails (ms)`] = f.runDetails;
    figures[`${on}: componentStatuses (ms)`] = f.componentStatuses;
  }
  const builtin = measured.get('node:sqlite');
  const better = measured.get('better-sqlite3');
  if (builtin && better) {
    figures['node:sqlite / better-sqlite3, logMetrics points/s'] = round(builtin.stepsApi / better.stepsApi);
    figures['node:sqlite / better-sqlite3, MetricLogger points/s'] = round(builtin.loggerApi / better.loggerApi);
  }
  const missing = (['better-sqlite3', 'node:sqlite'] as const).filter((d) => !nodes.has(d));
  return {
    name: 'store',
    figures,
    notes: [
      `${STORE_WORKLOAD.points.toLocaleString('en-US')} points per insert figure, each into a fresh store, API and raw alternating in ${STORE_WORKLOAD.rounds} rounds; target API / raw >= ${API_RATIO_TARGET}`,
      `node:sqlite must reach >= ${INSERT_RATIO_TARGET}x better-sqlite3's insert rate; list times are medians of 15 calls over ${STORE_WORKLOAD.runs.toLocaleString('en-US')} runs, target < ${LIST_TARGET_MS} ms`,
      ...(missing.length ? [`not measured: no Node here runs ${missing.join(', ')}`] : []),
    ],
  };
}
