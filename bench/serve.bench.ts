/**
 * The prediction server (`mlops serve`) under load, on loopback:
 * - single-row predict latency (p50/p99) and throughput at 1, 16 and 64 concurrent keep-alive
 *   clients, next to a bare `node:http` server answering a constant JSON of the same size in the
 *   same run (the floor: what HTTP alone costs on this machine); targets: ≥ 50% of the floor's
 *   throughput and p99 < 10 ms at 16 clients;
 * - ten new versions published (folder + aliases.json, as `mlops push` writes them) while 16
 *   clients keep sending: failed requests (target 0) and the versions that answered.
 * The model is a small DNN trained on the taxi data by the CLI in a temporary workspace; each
 * server runs in its own process (the real `mlops serve`), the clients in this one.
 */
import type { ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI, load, measure, MEASURE_MS, mlops, requestBodies, startServer, stop, TAXI, WARMUP_MS } from './httpLoad';
import { round } from './measure';
import type { BenchResult } from './types';
import { taxiPipeline } from '../test/helpers/taxiPipeline';

const CONCURRENCY = [1, 16, 64];
const PUSHES = 10;
const PUSH_EVERY_MS = 1500;

/** The floor: node:http reading the body and answering a constant prediction-sized JSON. */
const FLOOR_SERVER = `
const http = require('http');
const body = JSON.stringify({ predictions: [{ id: 'a1b2c3d4-1', probability: 0.4953031539916992, label: 'false' }] });
const server = http.createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body); });
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ url: 'http://127.0.0.1:' + server.address().port })));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

/** A new version as push writes it: a complete copy under a hidden name, one rename, then aliases.json replaced. */
function publishVersion(servingDir: string, source: string, version: number): void {
  const hidden = path.join(servingDir, `.${version}.tmp-bench`);
  cpSync(source, hidden, { recursive: true });
  renameSync(hidden, path.join(servingDir, String(version)));
  const aliases = path.join(servingDir, '.aliases.json.tmp');
  writeFileSync(aliases, JSON.stringify({ production: version }) + '\n');
  renameSync(aliases, path.join(servingDir, 'aliases.json'));
}

export async function run(): Promise<BenchResult> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'mlops-bench-serve-'));
  const children: ChildProcess[] = [];
  const figures: BenchResult['figures'] = {};
  try {
    writeFileSync(path.join(root, 'taxi.pipeline.yaml'), taxiPipeline(TAXI, { hidden: [32, 16], epochs: 3 }));
    mlops(['run', 'taxi.pipeline.yaml'], root);
    mlops(['push', '1', '--force', '--model', 'taxi'], root);
    const servingDir = path.join(root, '.mlops', 'serving', 'taxi');
    const manifest = JSON.parse(readFileSync(path.join(servingDir, '1', 'mlops-model.json'), 'utf8')) as {
      signature: { inputs: { name: string; type: string }[] };
    };
    const bodies = requestBodies(manifest.signature.inputs, 1000);

    const model = await startServer([CLI, 'serve', '--dir', servingDir, '--port', '0', '--json', '--log-dir', path.join(root, 'logs')], root);
    children.push(model.child);
    const floor = await startServer(['-e', FLOOR_SERVER], root);
    children.push(floor.child);
    const predictUrl = `${model.url}/v1/models/taxi:predict`;

    for (const clients of CONCURRENCY) {
      const f = await measure(floor.url, bodies, clients);
      const s = await measure(predictUrl, bodies, clients);
      const label = `${clients} client${clients === 1 ? '' : 's'}`;
      figures[`${label}: serve req/s`] = round(s.rps);
      figures[`${label}: floor req/s (bare node:http)`] = round(f.rps);
      figures[`${label}: serve / floor throughput`] = round(s.rps / f.rps);
      figures[`${label}: serve p50 / p99 ms`] = `${round(s.p50)} / ${round(s.p99)}`;
      figures[`${label}: floor p50 / p99 ms`] = `${round(f.p50)} / ${round(f.p99)}`;
      figures[`${label}: serve failed requests`] = s.failures;
    }
    await stop(floor.child);

    // Ten versions published under sustained load: every request must be answered.
    let published = 1;
    let done = false;
    const swaps = (async () => {
      for (let v = 2; v <= PUSHES + 1; v++) {
        await new Promise((r) => setTimeout(r, PUSH_EVERY_MS));
        publishVersion(servingDir, path.join(servingDir, '1'), v);
        published = v;
      }
      // Time for the last one to be picked up (the server polls about once a second).
      await new Promise((r) => setTimeout(r, 2 * PUSH_EVERY_MS));
      done = true;
    })();
    const under = await load(
      predictUrl,
      bodies,
      16,
      () => done,
      () => true,
    );
    await swaps;
    await stop(model.child);
    figures['hot swap: versions published under load (16 clients)'] = published - 1;
    figures['hot swap: requests'] = under.latencies.length + under.failures;
    figures['hot swap: failed requests'] = under.failures;
    figures['hot swap: versions that answered'] = under.versions.size;
    const sorted = under.latencies.sort((a, b) => a - b);
    figures['hot swap: p99 ms during swaps'] = round(sorted[Math.floor(0.99 * sorted.length)]);
    figures.cores = os.availableParallelism();
    return {
      name: 'serve (single-row predict of a taxi DNN over HTTP, loopback)',
      figures,
      notes: [
        `each level: ${WARMUP_MS} ms warm-up, then ${MEASURE_MS} ms measured; clients are keep-alive connections in the bench process, each server in its own process`,
        'the floor is node:http reading the body and answering a constant JSON of the same size: what the HTTP exchange alone costs here',
        'concurrent single-row requests are predicted together (a batch stays open while each event-loop turn brings more, up to 4 turns), so throughput grows with clients',
        `hot swap: a new version folder + aliases.json every ${PUSH_EVERY_MS} ms (as mlops push writes them) while 16 clients send; the server polls once a second`,
      ],
    };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    rmSync(root, { recursive: true, force: true });
  }
}
