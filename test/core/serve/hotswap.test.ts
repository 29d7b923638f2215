import assert from 'node:assert/strict';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadModel } from '../../../src/core/model/package';
import type { LoadedModel } from '../../../src/core/model/types';
import { ModelServer, type ServeEvent } from '../../../src/core/serve';
import { call, evalCsv, instance, publishVersion, trainTaxiModel, writeAliases, type TaxiModel } from './helpers';

/**
 * Versions change under a running server: new ones are loaded and warmed before they take
 * traffic, requests in flight finish on the version they started on, a version that cannot be
 * loaded leaves the old one serving and says why.
 */
const taxi: TaxiModel = trainTaxiModel();
const rows = evalCsv(50).rows.map((r) => instance(r, taxi.inputs));
const events: ServeEvent[] = [];
const disposed: number[] = [];
/** While set, predictions of `held.version` wait for `held.gate`. */
let held: { version: number; gate: Promise<void> } | undefined;
let server: ModelServer;
let base: string;

/** loadModel, with a way to hold a version's predictions and a record of disposals. */
async function load(dir: string): Promise<LoadedModel> {
  const model = await loadModel(dir);
  const version = Number(path.basename(dir));
  return {
    dir: model.dir,
    manifest: model.manifest,
    transform: model.transform,
    predict: async (r) => {
      if (held?.version === version) await held.gate;
      return model.predict(r);
    },
    predictLabelled: (r) => model.predictLabelled(r),
    dispose: () => {
      disposed.push(version);
      model.dispose();
    },
  };
}

before(async () => {
  server = await ModelServer.start({ model: 'taxi', dir: taxi.servingDir, port: 0, pollMs: 50, keepIdleMs: 0, load, onEvent: (e) => events.push(e) });
  base = server.url;
});

after(() => server?.close());

const predict = (row = rows[0]) => call(base, '/v1/models/taxi:predict', { body: { instances: [row] } });

/** Refreshes until the server answers un-versioned requests with `version`. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await server.refresh();
  assert.ok(condition(), 'the server did not reach the expected state');
}

describe('hot swap', () => {
  it('swaps to a pushed version under load: no request fails, each client sees 1 then 2', async () => {
    assert.equal(server.defaultVersion, 1);
    let stop = false;
    const clients = Array.from({ length: 8 }, async (_, c) => {
      const seen: string[] = [];
      for (let i = 0; !stop || seen.length < 5; i++) {
        const r = await predict(rows[(c * 7 + i) % rows.length]);
        assert.equal(r.status, 200, r.text);
        seen.push(r.headers.get('x-model-version')!);
      }
      return seen;
    });
    await new Promise((r) => setTimeout(r, 100));
    publishVersion(taxi.servingDir, taxi.packageDir, 2);
    await until(() => server.defaultVersion === 2);
    // Let every client get some answers from the new version.
    await new Promise((r) => setTimeout(r, 200));
    stop = true;
    const seen = await Promise.all(clients);
    for (const s of seen) {
      const firstNew = s.indexOf('2');
      assert.ok(firstNew >= 0, 'the client got answers from version 2');
      assert.ok(
        s.slice(firstNew).every((v) => v === '2'),
        `never back to 1 after 2: ${s.join(',')}`,
      );
      assert.ok(s.slice(0, firstNew).every((v) => v === '1'));
    }
    assert.ok(
      seen.some((s) => s[0] === '1'),
      'some answers came from version 1',
    );
    const swap = events.find((e) => e.kind === 'swapped' && e.to === 2);
    assert.deepEqual(swap, { kind: 'swapped', from: 1, to: 2 });
    await until(() => disposed.includes(1));
    assert.ok(events.some((e) => e.kind === 'loaded' && e.version === 2));
  });

  it('finishes a request in flight on the old version and disposes it only after', async () => {
    let release!: () => void;
    held = { version: 2, gate: new Promise((r) => (release = r)) };
    const inFlight = predict();
    // The request is waiting inside version 2's prediction.
    await new Promise((r) => setTimeout(r, 50));
    publishVersion(taxi.servingDir, taxi.packageDir, 3);
    await until(() => server.defaultVersion === 3);
    const during = await predict();
    assert.equal(during.headers.get('x-model-version'), '3', 'new requests go to the new version at once');
    assert.ok(!disposed.includes(2), 'version 2 is not disposed while a request uses it');
    release();
    const finished = await inFlight;
    assert.equal(finished.status, 200);
    assert.equal(finished.headers.get('x-model-version'), '2');
    held = undefined;
    await until(() => disposed.includes(2));
  });

  it('keeps serving the old version when the new one cannot be loaded, and says why; a fixed copy then loads', async () => {
    const broken = path.join(taxi.servingDir, '4');
    mkdirSync(broken);
    writeFileSync(path.join(broken, 'weights.bin'), 'not a model');
    writeAliases(taxi.servingDir, { production: 4 });
    await until(() => events.some((e) => e.kind === 'load-failed' && e.version === 4));
    await server.refresh();
    assert.equal(server.defaultVersion, 3);
    const failure = events.find((e) => e.kind === 'load-failed');
    assert.match((failure as { error: string }).error, /the model package has no mlops-model\.json/);

    const r = await predict();
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('x-model-version'), '3');
    const status = await call(base, '/v1/models/taxi/versions/4');
    assert.equal(status.status, 200);
    const [four] = status.body.model_version_status;
    assert.equal(four.state, 'END');
    assert.equal(four.status.error_code, 'UNKNOWN');
    assert.match(four.status.error_message, /no mlops-model\.json/);
    const named = await call(base, '/v1/models/taxi/versions/4:predict', { body: { instances: [rows[0]] } });
    assert.equal(named.status, 503);
    assert.match(named.body.error, /version 4 cannot be served: .*mlops-model\.json/);
    assert.equal(events.filter((e) => e.kind === 'load-failed').length, 1, 'reported once, not at every poll');

    cpSync(taxi.packageDir, broken, { recursive: true });
    await until(() => server.defaultVersion === 4);
    assert.equal((await predict()).headers.get('x-model-version'), '4');
  });

  it('follows a rollback to an earlier version, loading it again', async () => {
    writeAliases(taxi.servingDir, { production: 1, staging: 4 });
    await until(() => server.defaultVersion === 1);
    assert.equal((await predict()).headers.get('x-model-version'), '1');
    const staging = await call(base, '/v1/models/taxi/labels/staging:predict', { body: { instances: [rows[0]] } });
    assert.equal(staging.headers.get('x-model-version'), '4');
    const metrics = (await call(base, '/metrics')).text;
    assert.match(metrics, /^mlops_serve_model_version\{model="taxi"\} 1$/m);
    assert.match(metrics, /^mlops_serve_model_swaps_total\{model="taxi"\} 4$/m);
    assert.match(metrics, /^mlops_serve_model_load_failures_total\{model="taxi"\} 1$/m);
  });

  it('keeps the current version while production points at a version not in the folder, and says so', async () => {
    writeAliases(taxi.servingDir, { production: 9 });
    await until(() => events.some((e) => e.kind === 'aliases-error' && /points production at version 9, which is not in/.test(e.error)));
    assert.equal(server.defaultVersion, 1, 'not the highest version: production was named');
    assert.equal((await predict()).headers.get('x-model-version'), '1');
    const status = await call(base, '/v1/models/taxi/labels/production');
    assert.equal(status.body.model_version_status[0].version, '1');
    writeAliases(taxi.servingDir, { production: 1 });
  });
});
