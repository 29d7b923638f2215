import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ModelServer, type ServeEvent } from '../../../src/core/serve';
import { tempDir } from '../../helpers/tmp';
import { call, evalCsv, instance, publishVersion, trainTaxiModel, type TaxiModel } from './helpers';

/**
 * Every endpoint's shape and status codes against a real server on an ephemeral port: version 1
 * is production, version 2 (the same package, `fare` marked required) is staging.
 */
// Trained at load time: temporary folders made in a before() hook would be removed when it ends.
const taxi: TaxiModel = trainTaxiModel();
const logDir = tempDir();
const staging = tempDir();
const rows = evalCsv(20).rows.map((r) => instance(r, taxi.inputs));
let server: ModelServer;
let base: string;
const traffic: Extract<ServeEvent, { kind: 'traffic' }>[] = [];

before(async () => {
  publishVersion(staging, taxi.packageDir, 2);
  const manifestFile = path.join(staging, '2', 'mlops-model.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  manifest.signature.inputs.find((i: { name: string }) => i.name === 'fare').required = true;
  writeFileSync(manifestFile, JSON.stringify(manifest));
  publishVersion(taxi.servingDir, path.join(staging, '2'), 2, { production: 1, staging: 2 });
  server = await ModelServer.start({
    model: 'taxi',
    dir: taxi.servingDir,
    port: 0,
    logDir,
    maxRows: 50,
    trafficEveryMs: 100,
    onEvent: (e) => e.kind === 'traffic' && traffic.push(e),
  });
  base = server.url;
});

after(() => server?.close());

const predict = (body: unknown, at = '') => call(base, `/v1/models/taxi${at}:predict`, { body });

describe('TF Serving REST', () => {
  it('reports the status of every version, and of one named by number or label', async () => {
    const all = await call(base, '/v1/models/taxi');
    assert.equal(all.status, 200);
    assert.deepEqual(all.body, {
      model_version_status: ['2', '1'].map((version) => ({ version, state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } })),
    });
    assert.deepEqual(
      (await call(base, '/v1/models/taxi/versions/2')).body.model_version_status.map((s: { version: string }) => s.version),
      ['2'],
    );
    assert.deepEqual(
      (await call(base, '/v1/models/taxi/labels/staging')).body.model_version_status.map((s: { version: string }) => s.version),
      ['2'],
    );
    const noAlias = await call(base, '/v1/models/taxi/labels/canary');
    assert.equal(noAlias.status, 404);
    assert.match(noAlias.body.error, /no alias 'canary'.*production, staging/);
    const noVersion = await call(base, '/v1/models/taxi/versions/9');
    assert.equal(noVersion.status, 404);
    assert.match(noVersion.body.error, /no version 9; its versions are 1, 2/);
    assert.equal((await call(base, '/v1/models/taxi/versions/abc')).status, 400);
    const other = await call(base, '/v1/models/penguins');
    assert.equal(other.status, 404);
    assert.match(other.body.error, /no model 'penguins' here; this server serves 'taxi'/);
  });

  it('gives the signature as metadata', async () => {
    const r = await call(base, '/v1/models/taxi/metadata');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.model_spec, { name: 'taxi', signature_name: '', version: '1' });
    const def = r.body.metadata.signature_def.signature_def.serving_default;
    assert.equal(def.method_name, 'tensorflow/serving/predict');
    assert.deepEqual(Object.keys(def.inputs).sort(), taxi.inputs.map((i) => i.name).sort());
    assert.equal(def.inputs.fare.dtype, 'DT_DOUBLE');
    assert.equal(def.inputs.payment_type.dtype, 'DT_STRING');
    assert.deepEqual(Object.keys(def.outputs), ['probability', 'label']);
    assert.equal(r.body.metadata.mlops.task, 'binary');
    assert.equal((await call(base, '/v1/models/taxi/labels/staging/metadata')).body.model_spec.version, '2');
  });

  it('predicts row objects: one prediction per row with its id, the request id in a header', async () => {
    const r = await predict({ instances: rows.slice(0, 3) });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('x-model-version'), '1');
    const requestId = r.headers.get('x-request-id')!;
    assert.ok(requestId);
    assert.equal(r.body.predictions.length, 3);
    r.body.predictions.forEach((p: { id: string; probability: number; label: string }, i: number) => {
      assert.deepEqual(Object.keys(p), ['id', 'probability', 'label']);
      assert.equal(p.id, `${requestId}/${i}`);
      assert.ok(p.probability >= 0 && p.probability <= 1);
      assert.equal(p.label, p.probability >= 0.5 ? 'true' : 'false');
    });
    const one = await predict({ instances: [rows[0]] });
    assert.equal(one.body.predictions[0].id, one.headers.get('x-request-id'), 'a one-row request: the row id is the request id');
    assert.equal(one.body.predictions[0].probability, r.body.predictions[0].probability);
  });

  it('predicts columns (inputs) into columns (outputs), the same numbers as rows', async () => {
    const slice = rows.slice(0, 4);
    const names = [...new Set(slice.flatMap((row) => Object.keys(row)))];
    const inputs = Object.fromEntries(names.map((n) => [n, slice.map((row) => row[n] ?? null)]));
    const r = await predict({ inputs });
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.body.outputs), ['id', 'probability', 'label']);
    const byRow = await predict({ instances: slice });
    assert.deepEqual(
      r.body.outputs.probability,
      byRow.body.predictions.map((p: { probability: number }) => p.probability),
    );
    assert.deepEqual(
      r.body.outputs.label,
      byRow.body.predictions.map((p: { label: string }) => p.label),
    );
  });

  it('answers a version or label named in the URL with that version', async () => {
    assert.equal((await predict({ instances: [rows[0]] }, '/versions/2')).headers.get('x-model-version'), '2');
    assert.equal((await predict({ instances: [rows[0]] }, '/labels/staging')).headers.get('x-model-version'), '2');
    assert.equal((await predict({ instances: [rows[0]] }, '/labels/production')).headers.get('x-model-version'), '1');
    assert.equal((await predict({ instances: [rows[0]] }, '/versions/7')).status, 404);
  });
});

describe('Open Inference Protocol v2', () => {
  it('answers health, server and model metadata', async () => {
    assert.deepEqual((await call(base, '/v2/health/live')).body, { live: true });
    assert.deepEqual((await call(base, '/v2/health/ready')).body, { ready: true });
    assert.equal((await call(base, '/v2')).body.name, 'mlops');
    const meta = await call(base, '/v2/models/taxi');
    assert.equal(meta.status, 200);
    assert.equal(meta.body.name, 'taxi');
    assert.deepEqual(meta.body.versions, ['2', '1']);
    const datatype = (name: string) => meta.body.inputs.find((i: { name: string }) => i.name === name).datatype;
    assert.equal(datatype('fare'), 'FP64');
    assert.equal(datatype('trip_start_hour'), 'INT64');
    assert.equal(datatype('payment_type'), 'BYTES');
    assert.deepEqual(meta.body.outputs, [
      { name: 'probability', datatype: 'FP32', shape: [-1] },
      { name: 'label', datatype: 'BYTES', shape: [-1] },
      { name: 'id', datatype: 'BYTES', shape: [-1] },
    ]);
    assert.deepEqual((await call(base, '/v2/models/taxi/versions/2')).body.versions, ['2']);
    assert.deepEqual((await call(base, '/v2/models/taxi/versions/staging')).body.versions, ['2']);
    assert.deepEqual((await call(base, '/v2/models/taxi/ready')).body, { name: 'taxi', version: '1', ready: true });
    assert.equal((await call(base, '/v2/models/taxi/versions/9/ready')).status, 404);
  });

  it('infers from one tensor per feature, the same numbers as TF Serving rows', async () => {
    const slice = rows.slice(0, 3);
    const tensor = (name: string, datatype: string, shape = [3]) => ({ name, datatype, shape, data: slice.map((r) => r[name] ?? null) });
    const body = {
      id: 'my-request',
      inputs: [tensor('fare', 'FP64'), tensor('trip_start_hour', 'INT64', [3, 1]), tensor('payment_type', 'BYTES'), tensor('company', 'BYTES')],
    };
    const r = await call(base, '/v2/models/taxi/infer', { body });
    assert.equal(r.status, 200);
    assert.equal(r.body.model_name, 'taxi');
    assert.equal(r.body.model_version, '1');
    assert.equal(r.body.id, 'my-request');
    assert.deepEqual(
      r.body.outputs.map((o: { name: string; shape: number[]; datatype: string }) => [o.name, o.datatype, o.shape]),
      [
        ['probability', 'FP32', [3]],
        ['label', 'BYTES', [3]],
        ['id', 'BYTES', [3]],
      ],
    );
    const sameRows = slice.map((row) => ({ fare: row.fare, trip_start_hour: row.trip_start_hour, payment_type: row.payment_type, company: row.company }));
    const tf = await predict({ instances: sameRows.map((row) => Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined))) });
    assert.deepEqual(
      r.body.outputs[0].data,
      tf.body.predictions.map((p: { probability: number }) => p.probability),
    );
    const onlyLabel = await call(base, '/v2/models/taxi/versions/2/infer', { body: { ...body, outputs: [{ name: 'label' }] } });
    assert.equal(onlyLabel.body.model_version, '2');
    assert.deepEqual(
      onlyLabel.body.outputs.map((o: { name: string }) => o.name),
      ['label'],
    );
  });

  it('refuses tensors that do not fit the signature, naming the tensor', async () => {
    const infer = (inputs: unknown[], extra = {}) => call(base, '/v2/models/taxi/infer', { body: { inputs, ...extra } });
    const fare = { name: 'fare', datatype: 'FP64', shape: [2], data: [12.5, 3] };
    const cases: [unknown[], RegExp, object?][] = [
      [[{ ...fare, datatype: 'BOOL', data: [true, false] }], /inputs\[0\] \('fare'\): datatype BOOL does not fit a float feature/],
      [[{ ...fare, shape: [3] }], /shape \[3\] holds 3 values but data has 2/],
      [[{ ...fare, shape: [2, 2] }], /shape should be \[rows\] or \[rows, 1\]/],
      [[fare, { name: 'trip_start_hour', datatype: 'INT64', shape: [1], data: [3] }], /has 1 rows but fare has 2/],
      [[{ ...fare, name: 'fair' }], /unknown feature 'fair' \(did you mean 'fare'\?\)/],
      [[fare, fare], /feature 'fare' is given twice/],
      [[{ name: 'trip_start_hour', datatype: 'INT64', shape: [1], data: [3.5] }], /3\.5 is not a INT64 value/],
      [[{ ...fare, datatype: 'BYTES', data: ['12.5', 'cheap'] }], /'fare' \[1\]: expected a number \(a float feature\), got "cheap"/],
      [[fare], /there is no output 'score'/, { outputs: [{ name: 'score' }] }],
    ];
    for (const [inputs, message, extra] of cases) {
      const r = await infer(inputs, extra);
      assert.equal(r.status, 400, r.text);
      assert.match(r.body.error, message);
    }
    assert.equal((await infer([])).status, 400);
  });
});

describe('MLflow scoring server', () => {
  it('takes dataframe_split, dataframe_records, instances and inputs alike', async () => {
    const slice = rows.slice(0, 3).map((r) => ({ fare: r.fare, payment_type: r.payment_type, trip_miles: r.trip_miles }));
    const columns = ['fare', 'payment_type', 'trip_miles'] as const;
    const bodies = [
      { dataframe_split: { columns, data: slice.map((r) => columns.map((c) => r[c])) } },
      { dataframe_records: slice },
      { instances: slice },
      { inputs: slice },
      { inputs: Object.fromEntries(columns.map((c) => [c, slice.map((r) => r[c])])) },
    ];
    const answers = await Promise.all(bodies.map((body) => call(base, '/invocations', { body })));
    for (const a of answers) assert.equal(a.status, 200, a.text);
    const probabilities = answers.map((a) => a.body.predictions.map((p: { probability: number }) => p.probability));
    for (const p of probabilities) assert.deepEqual(p, probabilities[0]);
    assert.equal((await call(base, '/ping')).status, 200);
    assert.equal((await call(base, '/health')).status, 200);
  });

  it('refuses ambiguous or ragged input', async () => {
    const both = await call(base, '/invocations', { body: { instances: [rows[0]], dataframe_records: [rows[0]] } });
    assert.equal(both.status, 400);
    assert.match(both.body.error, /exactly one of/);
    const ragged = await call(base, '/invocations', { body: { dataframe_split: { columns: ['fare', 'company'], data: [[1, 'a'], [2]] } } });
    assert.equal(ragged.status, 400);
    assert.match(ragged.body.error, /dataframe_split\.data\[1\] should be a list of 2 values/);
  });
});

describe('feedback, metrics, routing', () => {
  it('takes feedback for served rows, one or a list', async () => {
    const p = await predict({ instances: rows.slice(0, 2) });
    const ids = p.body.predictions.map((x: { id: string }) => x.id);
    assert.deepEqual((await call(base, '/v1/models/taxi/feedback', { body: { id: ids[0], label: true } })).body, { accepted: 1 });
    assert.deepEqual(
      (
        await call(base, '/v1/models/taxi/feedback', {
          body: [
            { id: ids[1], label: 'false' },
            { id: 'x', label: 0 },
          ],
        })
      ).body,
      { accepted: 2 },
    );
    const bad = await call(base, '/v1/models/taxi/feedback', { body: [{ id: 'x', label: true }, { id: 'y' }] });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error, /feedback\[1\]: "label" should be the true label/);
    assert.equal((await call(base, '/v1/models/taxi/feedback', { body: { id: 7, label: true } })).status, 400);
    assert.equal((await call(base, '/v1/models/taxi/versions/1/feedback', { body: { id: 'x', label: true } })).status, 404);
  });

  it('exposes Prometheus metrics: requests and errors by endpoint and code, latency, rows, version', async () => {
    await predict({ instances: rows.slice(0, 5) });
    await predict({ instances: [{ fare: 'cheap' }] });
    const r = await call(base, '/metrics');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
    const value = (line: RegExp) => Number(line.exec(r.text)?.[1]);
    assert.ok(value(/^mlops_serve_requests_total\{endpoint="tfserving_predict",code="200"\} (\d+)$/m) >= 1);
    assert.ok(value(/^mlops_serve_request_errors_total\{endpoint="tfserving_predict",code="400"\} (\d+)$/m) >= 1);
    assert.match(r.text, /^mlops_serve_request_duration_seconds_bucket\{endpoint="tfserving_predict",le="\+Inf"\} \d+$/m);
    assert.match(r.text, /^# TYPE mlops_serve_request_duration_seconds histogram$/m);
    assert.ok(value(/^mlops_serve_rows_predicted_total\{model="taxi",version="1"\} (\d+)$/m) >= 5);
    assert.equal(value(/^mlops_serve_model_version\{model="taxi"\} (\d+)$/m), 1);
    assert.match(r.text, /^mlops_serve_model_loaded\{model="taxi",version="2"\} 1$/m);
    assert.equal(value(/^mlops_serve_model_swaps_total\{model="taxi"\} (\d+)$/m), 0);
  });

  it('reports each interval’s prediction traffic: rates, latency quantiles and the version answering', async () => {
    const seen = traffic.length;
    for (let i = 0; i < 20; i++) await predict({ instances: rows.slice(0, 3) });
    await predict({ instances: [{ fare: 'cheap' }] });
    await call(base, '/metrics');
    // Every request above was counted before its answer came: wait for the interval that ends after them.
    const answered = Date.now();
    while (!traffic.slice(seen).some((t) => t.at > answered)) await new Promise((r) => setTimeout(r, 50));
    const since = traffic.slice(seen);
    const requests = since.reduce((n, t) => n + t.requestsPerSecond * t.seconds, 0);
    const errors = since.reduce((n, t) => n + t.errorsPerSecond * t.seconds, 0);
    const predicted = since.reduce((n, t) => n + t.rowsPerSecond * t.seconds, 0);
    // Intervals are counted from snapshots, so the sums are exact whatever the timing; /metrics is not prediction traffic.
    assert.ok(Math.round(requests) >= 21, `requests ${requests}`);
    assert.ok(Math.round(errors) >= 1, `errors ${errors}`);
    assert.ok(Math.round(predicted) >= 60, `rows ${predicted}`);
    const busy = since.find((t) => t.p50Ms !== null)!;
    assert.ok(busy.p50Ms! > 0 && busy.p99Ms! >= busy.p50Ms!);
    assert.equal(busy.version, 1);
  });

  it('says which endpoints exist and which method they take', async () => {
    const missing = await call(base, '/v1/predict');
    assert.equal(missing.status, 404);
    assert.match(missing.body.error, /POST \/v1\/models\/\{model\}:predict/);
    const get = await call(base, '/v1/models/taxi:predict');
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    assert.equal((await call(base, '/metrics', { method: 'POST', body: {} })).status, 405);
  });
});
