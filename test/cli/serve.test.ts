import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { requestLogFile } from '../../src/core/serve';
import { mlops, mlopsAsync } from '../helpers/cli';
import { call, evalCsv, instance, trainTaxiModel } from '../core/serve/helpers';

/** `mlops serve` as the extension and users start it: a child process, stopped by a signal. */
const taxi = trainTaxiModel();
const row = instance(evalCsv(1).rows[0], taxi.inputs);

/** Starts `mlops serve`, collecting stdout lines; resolves once a line matches `ready`. */
async function serve(args: string[], ready: RegExp) {
  const child = mlopsAsync(['serve', '--port', '0', ...args], taxi.workspace);
  const lines: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (ready.test(line)) resolve();
    });
    void exited.then(([code]) => reject(new Error(`mlops serve exited ${code} before it was ready: ${stderr}`)));
  });
  return { child, lines, exited, stderr: () => stderr };
}

describe('mlops serve', { concurrency: false }, () => {
  it('serves the production version of --model, prints JSON events, stops on SIGTERM with the log flushed', async () => {
    const server = await serve(['--model', 'taxi', '--json'], /"event":"ready"/);
    const ready = JSON.parse(server.lines.find((l) => l.includes('"ready"'))!);
    assert.equal(ready.model, 'taxi');
    assert.equal(ready.version, 1);
    assert.equal(ready.dir, taxi.servingDir);
    assert.equal(ready.logDir, path.join(taxi.workspace, '.mlops', 'serving-logs', 'taxi'));
    assert.match(ready.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await call(ready.url, '/v1/models/taxi:predict', { body: { instances: [row] } });
    assert.equal(r.status, 200);
    server.child.kill('SIGTERM');
    const [code] = await server.exited;
    assert.equal(code, 0, server.stderr());
    assert.deepEqual(JSON.parse(server.lines.at(-1)!), { event: 'closed' });
    const log = path.join(ready.logDir, requestLogFile(Date.now()));
    assert.equal(JSON.parse(readFileSync(log, 'utf8').trim()).id, r.body.predictions[0].id);
  });

  it('serves the only registered model by default and says what and where; Ctrl+C stops it', async () => {
    const server = await serve([], /Ctrl\+C stops/);
    const text = server.lines.join('\n');
    assert.match(text, new RegExp(`serving taxi@1 \\(production\\) from ${taxi.servingDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.match(text, /POST http:\/\/127\.0\.0\.1:\d+\/v1\/models\/taxi:predict/);
    assert.match(text, /POST http:\/\/127\.0\.0\.1:\d+\/v2\/models\/taxi\/infer/);
    server.child.kill('SIGINT');
    const [code] = await server.exited;
    assert.equal(code, 0, server.stderr());
    assert.match(server.lines.join('\n'), /stopping: finishing the requests in flight/);
  });

  it('says clearly why it cannot start: exit 2, no stack trace', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const cases: [string[], RegExp][] = [
        [['--port', String(port)], new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`)],
        [['--host', '0.0.0.0'], /refusing to serve on 0\.0\.0\.0 without a token/],
        [['--model', 'penguins'], /there is no model 'penguins' in the registry/],
        [['--sample-rate', '3'], /the sample rate is 3; it is a share of rows from 0 to 1/],
        [['--dir', path.join(taxi.workspace, 'no such folder!')], /'no such folder!' is not a valid model name/],
      ];
      for (const [args, message] of cases) {
        const r = mlops(['serve', ...args], taxi.workspace);
        assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
        assert.match(r.stderr, message);
        assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+\)?\n/, 'no stack trace');
      }
    } finally {
      blocker.close();
    }
    assert.ok(existsSync(taxi.servingDir));
  });
});
