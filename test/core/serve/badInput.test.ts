import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ModelServer } from '../../../src/core/serve';
import { isUserError } from '../../../src/core/util/problems';
import { call, evalCsv, instance, trainTaxiModel, type TaxiModel } from './helpers';

/** Requests a server must refuse with a clear JSON error, after which it keeps answering. */
// Trained at load time: temporary folders made in a before() hook would be removed when it ends.
const taxi: TaxiModel = trainTaxiModel();
const row = instance(evalCsv(1).rows[0], taxi.inputs);
let server: ModelServer;
let base: string;
const events: { kind: string }[] = [];

before(async () => {
  // `trip_miles` required, as a curated signature may say.
  const manifestFile = path.join(taxi.packageDir, 'mlops-model.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  manifest.signature.inputs.find((i: { name: string }) => i.name === 'trip_miles').required = true;
  writeFileSync(manifestFile, JSON.stringify(manifest));
  server = await ModelServer.start({
    model: 'taxi',
    dir: taxi.servingDir,
    port: 0,
    maxRows: 100,
    maxBodyBytes: 20_000,
    headersTimeoutMs: 300,
    requestTimeoutMs: 600,
    onEvent: (e) => events.push(e),
  });
  base = server.url;
});

after(() => server?.close());

async function stillServes(): Promise<void> {
  const r = await call(base, '/v1/models/taxi:predict', { body: { instances: [row] } });
  assert.equal(r.status, 200, r.text);
}

async function refused(body: unknown, status: number, message: RegExp, headers?: Record<string, string>): Promise<void> {
  const r = await call(base, '/v1/models/taxi:predict', { body, headers });
  assert.equal(r.status, status, r.text);
  assert.equal(r.headers.get('content-type'), 'application/json');
  assert.deepEqual(Object.keys(r.body), ['error']);
  assert.match(r.body.error, message);
  await stillServes();
}

describe('request validation against the signature (400, naming the row and field)', () => {
  it('an unknown feature', () => refused({ instances: [row, { ...row, tips: 3 }] }, 400, /^instances\[1\]: unknown feature 'tips'/));
  it('a misspelt feature, with the closest name', () =>
    refused({ instances: [{ ...row, fair: 3 }] }, 400, /instances\[0\]: unknown feature 'fair' \(did you mean 'fare'\?\); the model reads .*trip_miles/));
  it('text that is not a number in a number feature', () =>
    refused({ instances: [{ ...row, fare: 'twelve' }] }, 400, /^instances\[0\]\.fare: expected a number \(a float feature\), got "twelve"$/));
  it('a boolean in a number feature', () =>
    refused({ instances: [{ ...row, trip_start_hour: true }] }, 400, /instances\[0\]\.trip_start_hour: expected an integer \(an int feature\), got true/));
  it('a fraction in an int64 feature, as a number or as text (TF Serving refuses it too)', async () => {
    await refused(
      { instances: [{ ...row, trip_start_hour: 12.5 }] },
      400,
      /^instances\[0\]\.trip_start_hour: expected an integer \(an int feature\), got 12\.5$/,
    );
    await refused({ instances: [{ ...row, trip_start_hour: '12.5' }] }, 400, /instances\[0\]\.trip_start_hour: expected an integer/);
    await refused({ inputs: { ...Object.fromEntries(Object.entries(row).map(([k, v]) => [k, [v]])), trip_start_hour: [3, 4.25] } }, 400, /trip_start_hour/);
  });
  it('an integer beyond what a double holds exactly in an int64 feature', () =>
    refused({ instances: [{ ...row, trip_start_hour: 1e30 }] }, 400, /trip_start_hour: expected an integer \(an int feature\), got 1e\+30/));
  it('a number in a string feature', () =>
    refused({ instances: [{ ...row, company: 3 }] }, 400, /^instances\[0\]\.company: expected a string \(a string feature\), got 3$/));
  it('an object in a string feature', () =>
    refused({ instances: [{ ...row, company: { name: 'x' } }] }, 400, /instances\[0\]\.company: expected a string .* got an object/));
  it('a missing required feature', () => refused({ instances: [row, { fare: 3 }] }, 400, /instances\[1\]: missing required feature 'trip_miles'/));
  it('a required feature sent as null', () =>
    refused({ instances: [{ ...row, trip_miles: null }] }, 400, /instances\[0\]: missing required feature 'trip_miles'/));
  it('a row that is not an object', () => refused({ instances: [row, [1, 2]] }, 400, /instances\[1\] should be an object of feature → value, got an array/));
  it('too many rows: 413, as the README says', () =>
    refused({ instances: Array.from({ length: 101 }, () => ({ trip_miles: 1 })) }, 413, /holds 101 rows, more than the limit of 100 per request/));
  it('no rows', () => refused({ instances: [] }, 400, /holds no rows/));
  it('columns of different lengths', () => refused({ inputs: { fare: [1, 2], trip_miles: [1] } }, 400, /inputs\.trip_miles has 1 values but fare has 2/));
  it('both instances and inputs', () => refused({ instances: [row], inputs: { fare: [1] } }, 400, /exactly one of "instances"/));
  it('a key a predict request does not have', () => refused({ rows: [row] }, 400, /unexpected key 'rows'/));
  it('a body that is not an object', () => refused([row], 400, /the body should be a JSON object/));
  it('numbers as text are read as a CSV cell would be', async () => {
    const asText = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, String(v)]));
    const [typed, text] = await Promise.all([row, asText].map((r) => call(base, '/v1/models/taxi:predict', { body: { instances: [r] } })));
    assert.equal(text.status, 200, text.text);
    assert.equal(text.body.predictions[0].probability, typed.body.predictions[0].probability);
  });
});

/** Answers of the TF Serving predict endpoint with this status so far, from /metrics. */
async function predictStatusCount(status: number): Promise<number> {
  const text = (await call(base, '/metrics')).text;
  const line = text.split('\n').find((l) => l.startsWith('mlops_serve_requests_total{') && l.includes('tfserving_predict') && l.includes(`"${status}"`));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('malformed requests', () => {
  it('malformed JSON: 400 saying so', () => refused('{"instances": [{"fare": 1}', 400, /^the body is not valid JSON: /));
  it('an empty body: 400', () => refused('', 400, /the body is empty/));
  it('a wrong content type: 415', () =>
    refused('fare,trip_miles\n1,2\n', 415, /the body must be JSON \(Content-Type: application\/json\), not text\/csv/, { 'content-type': 'text/csv' }));
  /** Raw bytes on a socket; resolves with everything the server sent before closing. */
  function rawExchange(bytes: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(server.port, '127.0.0.1', () => socket.write(bytes));
      let received = '';
      socket.on('data', (d) => (received += d.toString()));
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
    });
  }

  it('an oversized body: 413, announced or not', async () => {
    const big = JSON.stringify({ instances: Array.from({ length: 50 }, () => ({ ...row, company: 'x'.repeat(400) })) });
    await refused(big, 413, /the body is larger than the limit of 19\.5 KB/);
    // Sent chunked, without a length up front: refused once the limit is passed.
    const head = 'POST /v1/models/taxi:predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';
    const reply = await rawExchange(`${head}${Buffer.byteLength(big).toString(16)}\r\n${big}\r\n0\r\n\r\n`);
    assert.match(reply, /^HTTP\/1\.1 413 Payload Too Large\r\n[\s\S]*\{"error":"the body is larger than the limit/);
    await stillServes();
  });

  it('a client too slow with its headers: 408 with a JSON error, connection closed', async () => {
    const reply = await rawExchange('POST /v1/models/taxi:predict HTTP/1.1\r\nHost: x\r\n');
    assert.match(reply, /^HTTP\/1\.1 408 Request Timeout\r\n/);
    assert.match(reply, /\{"error":"the request was not received in time/);
    await stillServes();
  });

  it('a client too slow with its body: 408', async () => {
    const reply = await rawExchange(
      'POST /v1/models/taxi:predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"instances"',
    );
    assert.match(reply, /^HTTP\/1\.1 408 Request Timeout\r\n/);
    assert.match(reply, /"error"/);
    await stillServes();
  });

  it('a client that goes away mid-body is its own doing: counted as a 400, no internal error logged', async () => {
    const refusedBefore = await predictStatusCount(400);
    const socket = net.connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.on('connect', resolve));
    socket.write('POST /v1/models/taxi:predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"instances": [');
    socket.destroy();
    const deadline = Date.now() + 30_000;
    while ((await predictStatusCount(400)) === refusedBefore && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(
      await predictStatusCount(400),
      refusedBefore + 1,
      `answered as: ${(await call(base, '/metrics')).text.match(/.*tfserving_predict.*/g)?.join('; ')}`,
    );
    assert.deepEqual(
      events.filter((e) => e.kind === 'request-error'),
      [],
    );
    await stillServes();
  });

  it('bytes that are not HTTP: 400', async () => {
    const reply = await rawExchange('HELLO\r\n\r\n');
    assert.match(reply, /^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*"error":"the request is not valid HTTP/);
    await stillServes();
  });
});

describe('starting and access', () => {
  const start = (options: Partial<Parameters<typeof ModelServer.start>[0]>) => ModelServer.start({ model: 'taxi', dir: taxi.servingDir, port: 0, ...options });

  async function rejectsWith(options: Partial<Parameters<typeof ModelServer.start>[0]>, message: RegExp): Promise<void> {
    await assert.rejects(start(options), (e: unknown) => {
      assert.ok(isUserError(e), String(e));
      assert.match(e.message, message);
      return true;
    });
  }

  it('a port in use is a clear error', () => rejectsWith({ port: server.port }, new RegExp(`port ${server.port} on 127\\.0\\.0\\.1 is already in use`)));
  it('an address the machine does not have is a clear error', () =>
    rejectsWith({ host: '192.0.2.1', token: 't' }, /cannot listen on 192\.0\.2\.1: this machine has no such address/));
  it('a non-loopback address without a token is refused before binding', () =>
    rejectsWith({ host: '0.0.0.0' }, /refusing to serve on 0\.0\.0\.0 without a token/));
  it('a sample rate outside 0..1 is refused', () => rejectsWith({ sampleRate: 2 }, /sample rate is 2/));

  it('with a token, requests need `Authorization: Bearer <token>`; health probes do not', async () => {
    const guarded = await start({ host: '0.0.0.0', token: 's3cret' });
    try {
      const url = `http://127.0.0.1:${guarded.port}`;
      const none = await call(url, '/v1/models/taxi:predict', { body: { instances: [row] } });
      assert.equal(none.status, 401);
      assert.equal(none.headers.get('www-authenticate'), 'Bearer');
      assert.match(none.body.error, /needs `Authorization: Bearer <token>`/);
      const wrong = await call(url, '/metrics', { headers: { authorization: 'Bearer nope' } });
      assert.equal(wrong.status, 401);
      assert.match(wrong.body.error, /the bearer token is wrong/);
      const right = await call(url, '/v1/models/taxi:predict', { body: { instances: [row] }, headers: { authorization: 'Bearer s3cret' } });
      assert.equal(right.status, 200);
      assert.equal((await call(url, '/v2/health/ready')).status, 200);
    } finally {
      await guarded.close();
    }
  });
});
