import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TrafficPoint } from '../../src/shared/monitoring';
import { readCsvHead } from '../../src/extension/serving/csvRows';
import { LineSplitter, parseServeLine, windowSummary } from '../../src/extension/serving/events';
import { formatRate, servingStatusText, servingTooltipRows, swapMessage } from '../../src/extension/serving/format';
import { cliInvocation, describeCommand, monitorArgs, serveArgs } from '../../src/extension/serving/invocation';
import { servedLabelColumn } from '../../src/extension/serving/packageLabel';
import type { ServingStatus } from '../../src/extension/serving/source';
import {
  blamedRow,
  buildInstances,
  cellValue,
  expectedValue,
  rowDescription,
  signatureInputs,
  testRequestDocument,
} from '../../src/extension/serving/testRequest';
import { TrafficHistory } from '../../src/extension/serving/trafficHistory';
import { tempDir } from '../helpers/tmp';

const point = (at: number, requestsPerSecond = 1, version: number | null = 3): TrafficPoint => ({
  at,
  requestsPerSecond,
  errorsPerSecond: 0,
  rowsPerSecond: requestsPerSecond,
  p50Ms: requestsPerSecond ? 2 : null,
  p99Ms: requestsPerSecond ? 9.5 : null,
  version,
});

const status = (o: Partial<ServingStatus> = {}): ServingStatus => ({
  model: 'taxi',
  state: 'serving',
  url: 'http://127.0.0.1:8501',
  version: 3,
  startedAt: 1,
  monitoring: true,
  error: null,
  dir: '/ws/.mlops/serving/taxi',
  logDir: '/ws/.mlops/serving-logs/taxi',
  ...o,
});

test('serve and monitor command lines: the store, port and sample rate, JSON lines, run as Node with plain text', () => {
  const args = serveArgs({ model: 'taxi', storePath: '/ws/.mlops/store.sqlite', port: 0, sampleRate: 0.25 });
  assert.deepEqual(args, ['serve', '--model', 'taxi', '--store', '/ws/.mlops/store.sqlite', '--port', '0', '--sample-rate', '0.25', '--json']);
  assert.deepEqual(monitorArgs({ model: 'taxi', storePath: '/s.sqlite' }), ['monitor', '--model', 'taxi', '--follow', '--json', '--store', '/s.sqlite']);
  const inv = cliInvocation({ nodePath: '/electron', cliPath: '/ext/dist/cli.js', args, cwd: '/ws', baseEnv: { PATH: '/bin', FORCE_COLOR: '1' } });
  assert.equal(inv.command, '/electron');
  assert.deepEqual(inv.args, ['/ext/dist/cli.js', ...args]);
  assert.equal(inv.cwd, '/ws');
  assert.deepEqual(inv.env, { PATH: '/bin', FORCE_COLOR: '0', ELECTRON_RUN_AS_NODE: '1', NO_COLOR: '1' });
  assert.equal(describeCommand(['serve', '--model', 'my taxi']), 'mlops serve --model "my taxi"');
});

test('lines from chunks: a line split across chunks is joined, CRLF and blank lines dropped, the unterminated last line kept for the end', () => {
  const s = new LineSplitter();
  assert.deepEqual(s.push('{"event":"clo'), []);
  assert.deepEqual(s.push('sed"}\r\n\n{"a"'), ['{"event":"closed"}']);
  assert.deepEqual(s.push(':1}\nplain text'), ['{"a":1}']);
  assert.deepEqual(s.end(), ['plain text']);
  assert.deepEqual(s.end(), []);
});

test('serve events: each known event is read, anything else (garbage, unknown events, wrong field types) is text for the log', () => {
  assert.deepEqual(parseServeLine('{"event":"ready","url":"http://127.0.0.1:1","model":"taxi","version":null,"dir":"/d","logDir":"/l/taxi"}'), {
    event: 'ready',
    url: 'http://127.0.0.1:1',
    model: 'taxi',
    version: null,
    dir: '/d',
    logDir: '/l/taxi',
  });
  assert.deepEqual(parseServeLine('{"event":"swapped","from":2,"to":3}'), { event: 'swapped', from: 2, to: 3 });
  assert.deepEqual(parseServeLine('{"event":"load-failed","version":4,"error":"bad weights"}'), { event: 'load-failed', version: 4, error: 'bad weights' });
  assert.deepEqual(parseServeLine('{"event":"closed"}'), { event: 'closed' });
  const traffic = parseServeLine(
    '{"event":"traffic","at":5000,"seconds":1.002,"requestsPerSecond":12.4,"errorsPerSecond":0,"rowsPerSecond":30,"p50Ms":1.5,"p99Ms":null,"version":3}',
  );
  assert.deepEqual(traffic, {
    event: 'traffic',
    point: { at: 5000, requestsPerSecond: 12.4, errorsPerSecond: 0, rowsPerSecond: 30, p50Ms: 1.5, p99Ms: null, version: 3 },
  });
  for (const line of [
    '',
    'Warning: something',
    '{"event":"ready"',
    '[1,2]',
    '{"event":"teleported"}',
    '{"event":"swapped","from":"2","to":3}',
    '{"event":"toString"}',
    'null',
  ]) {
    assert.deepEqual(parseServeLine(line), { event: 'text', text: line }, line);
  }
});

test('monitor window lines: one summary with rows, fired checks and alerts; other lines are not windows', () => {
  const window = {
    window: { key: 'v3/rows@abc', model: 'taxi', version: 3, start: 0, end: 1, rows: 1000 },
    labelled: 0,
    latency: null,
    drift: [{ fired: true }, { fired: false }],
    predictionDrift: [{ fired: false }],
    metrics: { checks: [{ outcome: 'failed' }, { outcome: 'skipped' }] },
    notes: [],
    alerts: [{ message: 'fare: wasserstein 0.42 > 0.1' }, { message: 'accuracy 0.61 < 0.8' }],
  };
  assert.equal(
    windowSummary(JSON.stringify(window)),
    'v3/rows@abc · 1,000 rows · 2 of 4 checks fired · 2 alerts: fare: wasserstein 0.42 > 0.1; accuracy 0.61 < 0.8',
  );
  const quiet = { ...window, drift: [], predictionDrift: [], metrics: undefined, alerts: [], notes: ['drift: 40 rows, fewer than min_rows 100'] };
  assert.equal(windowSummary(JSON.stringify(quiet)), 'v3/rows@abc · 1,000 rows · nothing checked · drift: 40 rows, fewer than min_rows 100');
  assert.equal(windowSummary('monitoring taxi'), undefined);
  assert.equal(windowSummary('{"window":{}}'), undefined);
});

test('traffic history: oldest first, points older than the window dropped, capacity bounded, cleared', () => {
  const h = new TrafficHistory(10_000, 8);
  assert.deepEqual(h.points(), []);
  assert.equal(h.last(), undefined);
  for (let s = 1; s <= 5; s++) h.add(point(s * 1000, s));
  assert.deepEqual(
    h.points().map((p) => p.at),
    [1000, 2000, 3000, 4000, 5000],
  );
  h.add(point(14_000));
  assert.deepEqual(
    h.points().map((p) => p.at),
    [4000, 5000, 14_000],
    'the window is measured back from the newest point',
  );
  for (let s = 15; s <= 24; s++) h.add(point(s * 500 + 7000));
  assert.deepEqual(
    h.points().map((p) => p.at),
    [15_500, 16_000, 16_500, 17_000, 17_500, 18_000, 18_500, 19_000],
    'never more than the capacity: the oldest go',
  );
  assert.equal(h.last()!.at, 19_000);
  h.clear();
  assert.deepEqual(h.points(), []);
});

test('rates: 0, tenths below 10, whole numbers, then k and M', () => {
  assert.deepEqual([0, 0.01, 0.4, 1, 1.25, 9.96, 12.4, 999, 999.7, 1234, 12_345, 2_500_000].map(formatRate), [
    '0',
    '<0.1',
    '0.4',
    '1',
    '1.3',
    '10',
    '12',
    '999',
    '1k',
    '1.2k',
    '12k',
    '2.5M',
  ]);
  assert.equal(formatRate(-1), '0');
});

test('status bar text: starting, serving with the last rate, failed', () => {
  assert.equal(servingStatusText(status({ state: 'starting', version: null, url: null }), undefined), '$(loading~spin) Starting taxi…');
  assert.equal(servingStatusText(status(), point(1, 12.4)), '$(radio-tower) taxi v3 · 12 req/s');
  assert.equal(servingStatusText(status(), undefined), '$(radio-tower) taxi v3 · 0 req/s');
  assert.equal(servingStatusText(status({ version: null }), undefined), '$(radio-tower) taxi no version yet · 0 req/s');
  assert.equal(servingStatusText(status({ state: 'failed', error: 'port 8501 is in use' }), undefined), '$(error) taxi not serving');
  assert.equal(swapMessage('taxi', 2, 3), 'taxi now serves v3 (was v2)');
  assert.equal(swapMessage('taxi', null, 1), 'taxi now serves v1');
});

test('tooltip rows: the URL and endpoints, latency, error rate, log folder, monitoring; the error when failed', () => {
  const rows = new Map(servingTooltipRows(status(), { ...point(1, 10), errorsPerSecond: 1 }));
  assert.equal(rows.get('URL'), 'http://127.0.0.1:8501');
  assert.equal(rows.get('TF Serving predict'), 'POST http://127.0.0.1:8501/v1/models/taxi:predict');
  assert.equal(rows.get('Open Inference v2'), 'POST http://127.0.0.1:8501/v2/models/taxi/infer');
  assert.equal(rows.get('Latency'), 'p50 2 ms · p99 9.5 ms');
  assert.equal(rows.get('Errors'), '1/s (10% of requests)');
  assert.equal(rows.get('Request log'), '/ws/.mlops/serving-logs/taxi');
  assert.equal(rows.get('Monitoring'), 'mlops monitor --follow is running');
  const idle = new Map(servingTooltipRows(status({ monitoring: false, error: 'monitoring stopped: no store' }), point(1, 0)));
  assert.equal(idle.get('Latency'), 'no requests in the last second');
  assert.equal(idle.get('Monitoring'), 'not running');
  assert.equal(idle.get('Problem'), 'monitoring stopped: no store');
  const failed = new Map(servingTooltipRows(status({ state: 'failed', url: null, logDir: null, error: 'port 8501 is in use' }), undefined));
  assert.deepEqual([...failed], [['Error', 'port 8501 is in use']]);
});

const metadata = {
  model_spec: { name: 'taxi', signature_name: '', version: '3' },
  metadata: {
    signature_def: {
      signature_def: {
        serving_default: {
          inputs: { fare: { dtype: 'DT_DOUBLE' }, trips: { dtype: 'DT_INT64' }, cash: { dtype: 'DT_BOOL' }, company: { dtype: 'DT_STRING' } },
        },
      },
    },
    mlops: {
      signature: {
        inputs: [
          { name: 'fare', type: 'float', required: true },
          { name: 'trips', type: 'int', required: false },
          { name: 'cash', type: 'bool', required: false },
          { name: 'company', type: 'string', required: false },
        ],
      },
    },
  },
};

test("the model's inputs from its metadata: its own signature, else TF Serving's signature_def; nothing from other bodies", () => {
  assert.deepEqual(
    signatureInputs(metadata)?.map((i) => `${i.name}:${i.type}:${i.required}`),
    ['fare:float:true', 'trips:int:false', 'cash:bool:false', 'company:string:false'],
  );
  const tfOnly = { ...metadata, metadata: { signature_def: metadata.metadata.signature_def } };
  assert.deepEqual(
    signatureInputs(tfOnly)?.map((i) => `${i.name}:${i.type}`),
    ['fare:float', 'trips:int', 'cash:bool', 'company:string'],
  );
  assert.equal(signatureInputs({ error: 'no version' }), undefined);
  assert.equal(signatureInputs('nope'), undefined);
});

test('CSV cells → typed values by input type: numbers, booleans, text; the empty cell left out; a misfit sent as written', () => {
  assert.equal(cellValue('float', '12.5'), 12.5);
  assert.equal(cellValue('float', '7'), 7);
  assert.equal(cellValue('int', '-3'), -3);
  assert.equal(cellValue('float', 'cheap'), 'cheap', 'the server names the field');
  assert.equal(cellValue('bool', 'TRUE'), true);
  assert.equal(cellValue('bool', 'false'), false);
  assert.equal(cellValue('bool', 'maybe'), 'maybe');
  assert.equal(cellValue('string', '17031081500'), '17031081500', 'a string input keeps digits as text');
  assert.equal(cellValue('float', ''), undefined);
  assert.equal(cellValue('string', ''), undefined);

  const inputs = signatureInputs(metadata)!;
  const columns = ['tips', 'fare', 'company', 'cash', 'trips'];
  const built = buildInstances(
    columns,
    [
      { row: 1, line: 2, fields: ['1.5', '12.5', 'Flash Cab', 'false', '2'] },
      { row: 4, line: 5, fields: ['0', '', '', 'true', '1'] },
    ],
    inputs,
  );
  assert.deepEqual(built.instances, [
    { fare: 12.5, company: 'Flash Cab', cash: false, trips: 2 },
    { cash: true, trips: 1 },
  ]);
  assert.deepEqual(built.notSent, ['tips']);
  assert.deepEqual(built.absent, []);
  assert.deepEqual(buildInstances(['fare'], [], inputs).absent, ['trips', 'cash', 'company']);
});

test('row descriptions, the row a server error blames, label cells', () => {
  assert.equal(rowDescription(['fare', 'payment_type'], ['12.5', 'Cash']), 'fare=12.5 · payment_type=Cash');
  assert.equal(rowDescription(['a', 'b', 'c', 'd', 'e'], ['1', 'x'.repeat(40), '', '4', '5']), `a=1 · b=${'x'.repeat(23)}… · c= · d=4 · …`);
  assert.equal(blamedRow('instances[1].fare: expected a number (a float feature), got "cheap"', [7, 9]), 9);
  assert.equal(blamedRow('the body should be a JSON object', [7, 9]), undefined);
  assert.deepEqual(['1', '0.5', 'true', 'yes', ''].map(expectedValue), [1, 0.5, true, 'yes', null]);
});

test('the result document: URL, status, latency, CSV rows, columns not sent, per row the prediction and the expected label, then request and response', () => {
  const body = { instances: [{ fare: 1 }, { fare: 2 }] };
  const doc = testRequestDocument({
    url: 'http://h/v1/models/taxi:predict',
    csv: 'data/trips.csv',
    rows: [3, 5],
    notSent: ['tips'],
    body,
    status: 200,
    latencyMs: 12.345,
    response: {
      predictions: [
        { id: 'a', probability: 0.9, label: 'true' },
        { id: 'b', probability: 0.1, label: 'false' },
      ],
    },
    error: null,
    label: { column: 'big_tipper', values: [true, null] },
  });
  assert.deepEqual(Object.keys(doc), ['url', 'status', 'latencyMs', 'csv', 'rows', 'columnsNotSent', 'labelColumn', 'results', 'request', 'response']);
  assert.equal(doc.latencyMs, 12.3);
  assert.deepEqual(doc.results, [
    { row: 3, prediction: { id: 'a', probability: 0.9, label: 'true' }, expected: true },
    { row: 5, prediction: { id: 'b', probability: 0.1, label: 'false' }, expected: null },
  ]);
  const refused = testRequestDocument({
    url: 'http://h/x',
    csv: 'a.csv',
    rows: [1],
    notSent: [],
    body,
    status: null,
    latencyMs: null,
    response: null,
    error: 'no answer from http://h: connect ECONNREFUSED',
  });
  assert.equal(refused.error, 'no answer from http://h: connect ECONNREFUSED');
  assert.equal('results' in refused, false);
});

test('the first rows of a CSV: quoted fields with commas and line breaks, row numbers, malformed rows reported; reading stops early', async () => {
  const dir = tempDir('serving-csv-');
  const file = path.join(dir, 'rows.csv');
  const lines = ['fare,company,note', '12.5,"Flash, Cab","two', 'lines"', '3,Cab,x,extra', '7,"Sun ""Taxi""",'];
  for (let i = 0; i < 20_000; i++) lines.push(`${i},Cab${i},n`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  const head = await readCsvHead(file, 4);
  assert.deepEqual(head.columns, ['fare', 'company', 'note']);
  assert.deepEqual(
    head.rows.map((r) => [r.row, r.line, r.fields]),
    [
      [1, 2, ['12.5', 'Flash, Cab', 'two\nlines']],
      [3, 5, ['7', 'Sun "Taxi"', '']],
      [4, 6, ['0', 'Cab0', 'n']],
      [5, 7, ['1', 'Cab1', 'n']],
    ],
  );
  assert.deepEqual(
    head.bad.map((b) => b.row),
    [2],
  );
  await assert.rejects(readCsvHead(path.join(dir, 'missing.csv'), 3));
});

test("the served version's label column, from its package in the serving folder", async () => {
  const dir = tempDir('serving-label-');
  fs.mkdirSync(path.join(dir, '2'));
  fs.writeFileSync(path.join(dir, '2', 'mlops-model.json'), JSON.stringify({ files: { model: 'model.json', transform: 'transform.json' } }));
  fs.writeFileSync(
    path.join(dir, '2', 'transform.json'),
    JSON.stringify({ label: { task: 'binary', column: 'big_tipper', negative: 'false', positive: 'true' } }),
  );
  assert.equal(await servedLabelColumn(dir, 2), 'big_tipper');
  assert.equal(await servedLabelColumn(dir, 3), undefined);
});
