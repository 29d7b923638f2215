import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { FEEDBACK_LOG, ModelServer, requestLogFile, type FeedbackRecord, type ServeEvent, type ServedRecord } from '../../../src/core/serve';
import { tempDir } from '../../helpers/tmp';
import { call, evalCsv, instance, trainTaxiModel, type TaxiModel } from './helpers';

/** The sampled request log and the feedback log, in the format monitoring reads (src/core/serve/log.ts). */
const taxi: TaxiModel = trainTaxiModel();
const rows = evalCsv(10).rows.map((r) => instance(r, taxi.inputs));

function readLines<T>(file: string): T[] {
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as T)
    : [];
}

const start = (options: Partial<Parameters<typeof ModelServer.start>[0]>) => ModelServer.start({ model: 'taxi', dir: taxi.servingDir, port: 0, ...options });

describe('request log', () => {
  it('holds one record per served row with its id, inputs, score, label and latency; flushed on close', async () => {
    const logDir = tempDir();
    const server = await start({ logDir, logFlushMs: 3_600_000 });
    const many = await call(server.url, '/v1/models/taxi:predict', { body: { instances: rows.slice(0, 3) } });
    const one = await call(server.url, '/v2/models/taxi/infer', { body: { inputs: [{ name: 'fare', datatype: 'FP64', shape: [1], data: [7.25] }] } });
    const feedback = await call(server.url, '/v1/models/taxi/feedback', {
      body: [
        { id: many.body.predictions[0].id, label: true },
        { id: one.body.id, label: 'false' },
      ],
    });
    assert.equal(feedback.status, 200);
    const day = requestLogFile(Date.now());
    assert.ok(!existsSync(path.join(logDir, 'taxi', day)), 'nothing written on the request path');
    await server.close();

    const served = readLines<ServedRecord>(path.join(logDir, 'taxi', day));
    assert.equal(served.length, 4);
    many.body.predictions.forEach((p: { id: string; probability: number; label: string }, i: number) => {
      const r = served[i];
      assert.deepEqual(Object.keys(r).sort(), ['at', 'id', 'inputs', 'label', 'latencyMs', 'model', 'score', 'version']);
      assert.equal(r.id, p.id);
      assert.equal(r.model, 'taxi');
      assert.equal(r.version, 1);
      assert.deepEqual(r.inputs, rows[i]);
      assert.equal(r.score, p.probability);
      assert.equal(r.label, p.label);
      assert.ok(r.latencyMs >= 0 && r.at <= Date.now());
    });
    assert.equal(served[3].id, one.body.id, 'a one-row request: the row id is the request id');
    assert.deepEqual(served[3].inputs, { fare: 7.25 });
    assert.equal(served[3].score, one.body.outputs[0].data[0]);

    const labels = readLines<FeedbackRecord>(path.join(logDir, 'taxi', FEEDBACK_LOG));
    assert.deepEqual(
      labels.map((f) => [f.id, f.label]),
      [
        [many.body.predictions[0].id, true],
        [one.body.id, 'false'],
      ],
    );
    assert.ok(labels.every((f) => typeof f.at === 'number'));
  });

  it('writes on a timer while serving', async () => {
    const logDir = tempDir();
    const server = await start({ logDir, logFlushMs: 20 });
    try {
      await call(server.url, '/v1/models/taxi:predict', { body: { instances: [rows[0]] } });
      const file = path.join(logDir, 'taxi', requestLogFile(Date.now()));
      // The timer's append creates the file before its line is in it: wait for the line itself.
      const lines = () => readLines<ServedRecord>(file);
      for (const deadline = Date.now() + 30_000; lines().length === 0 && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 10));
      assert.equal(lines().length, 1);
    } finally {
      await server.close();
    }
  });

  it('samples rows at the rate asked (decided per row); feedback is always kept', async () => {
    const logDir = tempDir();
    let draw = 0;
    const server = await start({ logDir, sampleRate: 0.5, random: () => (draw++ % 2 === 0 ? 0.25 : 0.75) });
    const r = await call(server.url, '/v1/models/taxi:predict', { body: { instances: rows } });
    await server.close();
    const served = readLines<ServedRecord>(path.join(logDir, 'taxi', requestLogFile(Date.now())));
    assert.deepEqual(
      served.map((s) => s.id),
      r.body.predictions.filter((_: unknown, i: number) => i % 2 === 0).map((p: { id: string }) => p.id),
    );

    const none = tempDir();
    const silent = await start({ logDir: none, sampleRate: 0 });
    await call(silent.url, '/v1/models/taxi:predict', { body: { instances: rows } });
    await call(silent.url, '/v1/models/taxi/feedback', { body: { id: 'a', label: true } });
    await silent.close();
    assert.ok(!existsSync(path.join(none, 'taxi', requestLogFile(Date.now()))));
    assert.equal(readLines<FeedbackRecord>(path.join(none, 'taxi', FEEDBACK_LOG)).length, 1);
  });

  it('a log that cannot be written is reported once and never fails a request', async () => {
    const blocker = path.join(tempDir(), 'a-file');
    writeFileSync(blocker, '');
    const events: ServeEvent[] = [];
    const server = await start({ logDir: path.join(blocker, 'logs'), logFlushMs: 10, onEvent: (e) => events.push(e) });
    try {
      for (let i = 0; i < 5; i++) {
        const r = await call(server.url, '/v1/models/taxi:predict', { body: { instances: [rows[i]] } });
        assert.equal(r.status, 200);
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
    } finally {
      await server.close();
    }
    const errors = events.filter((e) => e.kind === 'log-error');
    assert.equal(errors.length, 1);
    assert.match((errors[0] as { error: string }).error, /the request log in .*a-file.* cannot be written/);
  });

  it('feedback without a log folder is refused, not lost silently', async () => {
    const server = await start({});
    try {
      const r = await call(server.url, '/v1/models/taxi/feedback', { body: { id: 'a', label: true } });
      assert.equal(r.status, 503);
      assert.match(r.body.error, /keeps no log/);
    } finally {
      await server.close();
    }
  });
});
