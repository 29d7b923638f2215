import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ModelServer } from '../../../src/core/serve';
import { mlops } from '../../helpers/cli';
import { tempDir } from '../../helpers/tmp';
import { call, evalCsv, instance, trainTaxiModel, type TaxiModel } from './helpers';

/**
 * For the same raw row, the served prediction is `mlops predict`'s, bit for bit: the same loader,
 * the same transform, the same float32 printed the same way, whatever the protocol, the batch the
 * row arrives in, or whether its numbers come as JSON numbers or as CSV text.
 */
const ROWS = 1000;
const taxi: TaxiModel = trainTaxiModel();
const csv = evalCsv(ROWS);
const work = tempDir();
let server: ModelServer;
let base: string;
/** `mlops predict`'s score and prediction cells, by row. */
let offline: { score: string; prediction: string }[];

before(async () => {
  const rowsFile = path.join(work, 'rows.csv');
  writeFileSync(rowsFile, [csv.header.join(','), ...csv.lines].join('\n') + '\n');
  const out = path.join(work, 'predictions.csv');
  const r = mlops(['predict', '--model', 'taxi@1', rowsFile, '--out', out], taxi.workspace);
  assert.equal(r.status, 0, r.stderr);
  const [header, ...lines] = readFileSync(out, 'utf8').trim().split('\n');
  assert.equal(header, 'row,prediction,score,error');
  offline = lines.map((line) => {
    const [, prediction, score] = line.split(',');
    return { prediction, score };
  });
  assert.equal(offline.length, ROWS);
  server = await ModelServer.start({ model: 'taxi', dir: taxi.servingDir, port: 0 });
  base = server.url;
});

after(() => server?.close());

/** The model's inputs of a CSV row as the CSV holds them: text cells, empty ones left out. */
function textRow(row: Record<string, string>): Record<string, string> {
  return Object.fromEntries(taxi.inputs.filter((i) => row[i.name] !== '').map((i) => [i.name, row[i.name]]));
}

function assertSame(served: { probability: number; label: string }[], from: number, how: string): void {
  served.forEach((p, i) => {
    const expected = offline[from + i];
    assert.equal(String(p.probability), expected.score, `${how}: row ${from + i + 1}`);
    assert.equal(p.label, expected.prediction, `${how}: row ${from + i + 1}`);
  });
}

describe('served predictions equal `mlops predict` on 1,000 taxi eval rows', () => {
  it('TF Serving instances, all rows in one request, numbers as JSON numbers', async () => {
    const r = await call(base, '/v1/models/taxi:predict', { body: { instances: csv.rows.map((row) => instance(row, taxi.inputs)) } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.predictions.length, ROWS);
    assertSame(r.body.predictions, 0, 'instances');
  });

  it('TF Serving columns of CSV text, 100 rows per request', async () => {
    for (let from = 0; from < ROWS; from += 100) {
      const slice = csv.rows.slice(from, from + 100);
      const inputs = Object.fromEntries(taxi.inputs.map((i) => [i.name, slice.map((row) => (row[i.name] === '' ? null : row[i.name]))]));
      const r = await call(base, '/v1/models/taxi:predict', { body: { inputs } });
      assert.equal(r.status, 200, r.text);
      assertSame(
        r.body.outputs.probability.map((probability: number, i: number) => ({ probability, label: r.body.outputs.label[i] })),
        from,
        'columns',
      );
    }
  });

  it('single-row requests sent together (predicted in shared batches), as MLflow records of CSV text', async () => {
    const replies = await Promise.all(csv.rows.slice(0, 200).map((row) => call(base, '/invocations', { body: { dataframe_records: [textRow(row)] } })));
    replies.forEach((r, i) => {
      assert.equal(r.status, 200, r.text);
      assertSame(r.body.predictions, i, 'single rows');
    });
  });

  it('Open Inference Protocol tensors', async () => {
    const slice = csv.rows.slice(0, 250);
    const inputs = taxi.inputs.map((i) => ({
      name: i.name,
      datatype: i.type === 'float' ? 'FP64' : i.type === 'int' ? 'INT64' : 'BYTES',
      shape: [slice.length],
      data: slice.map((row) => (row[i.name] === '' ? null : i.type === 'string' ? row[i.name] : Number(row[i.name]))),
    }));
    const r = await call(base, '/v2/models/taxi/infer', { body: { inputs } });
    assert.equal(r.status, 200, r.text);
    const [probability, label] = r.body.outputs;
    assertSame(
      probability.data.map((p: number, i: number) => ({ probability: p, label: label.data[i] })),
      0,
      'v2',
    );
  });
});
