/**
 * Load on a prediction server from this process: keep-alive clients sending single-row requests of
 * taxi eval rows, with latencies and throughput over a measuring window. The serving benchmarks share it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const CLI = process.env.MLOPS_BENCH_CLI ?? path.join(REPO_ROOT, 'dist', 'cli.js');
export const TAXI = path.resolve(REPO_ROOT, '..', 'shared', 'datasets', 'taxi');
export const WARMUP_MS = 500;
export const MEASURE_MS = 3000;

export function mlops(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  if (r.status !== 0) throw new Error(`mlops ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** One request body per eval row: its raw features as JSON (numbers as numbers, empty cells left out). */
export function requestBodies(signature: { name: string; type: string }[], rows: number): Buffer[] {
  const [header, ...lines] = readFileSync(path.join(TAXI, 'eval.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(0, rows + 1);
  const columns = header.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    const instance: Record<string, unknown> = {};
    for (const input of signature) {
      const cell = cells[columns.indexOf(input.name)];
      if (cell === undefined || cell === '') continue;
      instance[input.name] = input.type === 'int' || input.type === 'float' ? Number(cell) : cell;
    }
    return Buffer.from(JSON.stringify({ instances: [instance] }));
  });
}

/** Starts a process and resolves with its first stdout line that parses as JSON with a `url`. */
export function startServer(args: string[], cwd: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NO_COLOR: '1' } });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      try {
        const event = JSON.parse(line) as { url?: string };
        if (event.url) resolve({ child, url: event.url });
      } catch {
        // a human line
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code} before it was ready`)));
  });
}

export async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export interface Load {
  latencies: number[];
  failures: number;
  versions: Map<string, number>;
  seconds: number;
}

/** `clients` keep-alive connections, each sending one request after another until `until()` says stop. */
export async function load(url: string, bodies: Buffer[], clients: number, until: () => boolean, record: () => boolean): Promise<Load> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const target = new URL(url);
  const result: Load = { latencies: [], failures: 0, versions: new Map(), seconds: 0 };
  let next = 0;
  let firstRecorded = 0;
  let lastRecorded = 0;
  const one = (body: Buffer) =>
    new Promise<{ ok: boolean; version?: string }>((resolve) => {
      const req = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': body.length },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ ok: res.statusCode === 200, version: res.headers['x-model-version'] as string | undefined }));
          res.on('error', () => resolve({ ok: false }));
        },
      );
      req.on('error', () => resolve({ ok: false }));
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (!until()) {
        const body = bodies[next++ % bodies.length];
        const start = performance.now();
        const { ok, version } = await one(body);
        const end = performance.now();
        if (!record()) continue;
        if (!firstRecorded) firstRecorded = start;
        lastRecorded = end;
        if (!ok) result.failures++;
        else result.latencies.push(end - start);
        if (version) result.versions.set(version, (result.versions.get(version) ?? 0) + 1);
      }
    }),
  );
  agent.destroy();
  result.seconds = (lastRecorded - firstRecorded) / 1000;
  return result;
}

/** Warm-up, then a fixed measuring window. */
export async function measure(url: string, bodies: Buffer[], clients: number): Promise<{ p50: number; p99: number; rps: number; failures: number }> {
  const start = performance.now();
  const r = await load(
    url,
    bodies,
    clients,
    () => performance.now() - start > WARMUP_MS + MEASURE_MS,
    () => performance.now() - start > WARMUP_MS,
  );
  const sorted = r.latencies.sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99), rps: (r.latencies.length + r.failures) / r.seconds, failures: r.failures };
}
