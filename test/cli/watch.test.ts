import assert from 'node:assert/strict';
import { once } from 'node:events';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { requestLogFile } from '../../src/core/serve/log';
import { RunStore } from '../../src/core/store';
import type { RunRecord } from '../../src/core/store/types';
import type { WatchEvent } from '../../src/core/triggers/events';
import { sampleRows, served, shifted } from '../core/monitor/fixtures';
import { mlops, mlopsAsync, mlopsJson } from '../helpers/cli';
import { JsonLines } from '../helpers/jsonLines';
import { taxiPipeline } from '../helpers/taxiPipeline';
import { SHARED_DATASETS, tempDir } from '../helpers/tmp';

const showRun = (dir: string, id: number) => mlopsJson<{ run: RunRecord }>(['runs', 'show', String(id)], dir).run;

describe('mlops watch', () => {
  it('runs on each new span once written, survives a failing run, records the trigger, refuses a second watcher and stops with 130', async () => {
    const dir = tempDir('mlops-watch-');
    await fs.mkdir(path.join(dir, 'data'));
    await fs.writeFile(path.join(dir, 'data', 'day-1.csv'), 'a,b\n1,2\n3,4\n');
    await fs.writeFile(
      path.join(dir, 'p.pipeline.yaml'),
      "pipeline: spans\ndata:\n  train: 'data/*.csv'\n  max_bad_rows: 0\nstatistics: {}\ntriggers: { settle: 300ms }\n",
    );
    const watch = mlopsAsync(['watch', 'p.pipeline.yaml', '--json'], dir);
    const events = new JsonLines<WatchEvent>(watch);
    try {
      const watching = await events.next((e) => e.type === 'watching');
      assert.deepEqual(watching.type === 'watching' && [watching.spans, watching.settleMs, watching.schedule, watching.alerts], [
        path.join(dir, 'data', '*.csv'),
        300,
        null,
        null,
      ]);
      const second = mlops(['watch', 'p.pipeline.yaml'], dir);
      assert.equal(second.status, 2);
      assert.match(second.stderr, new RegExp(`p\\.pipeline\\.yaml is already watched by process ${watch.pid}`));

      // A row with a column too many: the run fails, and watching goes on.
      const bad = path.join(dir, 'data', 'day-2.csv');
      await fs.writeFile(bad, 'a,b\n5,6,7\n');
      const failed = await events.next((e) => e.type === 'run-finished');
      assert.deepEqual(failed.type === 'run-finished' && [failed.status, failed.exitCode], ['failed', 2]);

      await fs.rm(bad);
      const good = path.join(dir, 'data', 'day-3.csv');
      await fs.writeFile(good, 'a,b\n7,8\n');
      const from = events.seen.length;
      const settling = await events.next((e) => e.type === 'settling', from);
      assert.deepEqual(settling.type === 'settling' && settling.files, [good]);
      const finished = await events.next((e) => e.type === 'run-finished', from);
      assert.ok(finished.type === 'run-finished');
      assert.equal(finished.status, 'complete', events.errors);
      assert.deepEqual(showRun(dir, finished.runId).trigger, { kind: 'span', files: [good] });
      const list = mlops(['runs', 'list'], dir).stdout;
      assert.match(list, /TRIGGER/);
      assert.equal(list.match(/new span/g)?.length, 2);
      assert.match(mlops(['runs', 'show', String(finished.runId)], dir).stdout, /trigger +new span data\/day-3\.csv/);
    } finally {
      watch.kill('SIGINT');
    }
    const [code] = (await once(watch, 'exit')) as [number];
    assert.equal(code, 130);
    assert.ok(events.seen.some((e) => e.type === 'stopped'));
  });

  it("takes a drift alert's retrain from mlops monitor; after a rollback the triggered retrain leaves production where the person put it", async () => {
    const dir = tempDir('mlops-watch-alert-');
    const monitor = 'statistics: {}\npush: { model: taxi }\nmonitor:\n  window: { every: 300 }\n  actions: [retrain]\n';
    const pipeline = (epochs: number) => taxiPipeline(path.join(SHARED_DATASETS, 'taxi'), { hidden: [8], epochs }) + monitor;
    const file = path.join(dir, 'taxi.pipeline.yaml');
    for (const epochs of [1, 2]) {
      await fs.writeFile(file, pipeline(epochs));
      const r = mlops(['run', 'taxi.pipeline.yaml'], dir);
      assert.equal(r.status, 0, r.stderr + r.stdout);
    }
    assert.equal(mlops(['rollback', 'taxi', '--reason', 'v2 drifts'], dir).status, 0);
    const production = () => mlopsJson<{ model: { aliases: Record<string, number> } }>(['models', 'show', 'taxi'], dir).model.aliases.production;
    assert.equal(production(), 1);

    // Version 1 serves shifted rows: drift.
    const logDir = path.join(dir, 'logs');
    const at = Date.UTC(2026, 10, 25, 8, 0, 0);
    const records = served(shifted(await sampleRows(path.join(SHARED_DATASETS, 'taxi', 'train.csv'), 300, 3)), { prefix: 'r', version: 1, at });
    await fs.mkdir(path.join(logDir, 'taxi'), { recursive: true });
    await fs.writeFile(path.join(logDir, 'taxi', requestLogFile(at)), records.map((r) => JSON.stringify(r) + '\n').join(''));

    const watch = mlopsAsync(['watch', 'taxi.pipeline.yaml', '--json'], dir);
    const events = new JsonLines<WatchEvent>(watch);
    try {
      const watching = await events.next((e) => e.type === 'watching');
      assert.equal(watching.type === 'watching' && watching.alerts, 'taxi');
      const checked = mlops(['monitor', 'taxi.pipeline.yaml', '--log-dir', logDir, '--json'], dir);
      assert.equal(checked.status, 1, checked.stderr);
      const alerts = (JSON.parse(checked.stdout) as { windows: { alerts: { id: number; kind: string; fired: unknown[] }[] }[] }).windows[0].alerts;
      assert.ok(alerts.some((a) => a.kind === 'drift'));
      assert.deepEqual(
        alerts.map((a) => a.fired),
        alerts.map(() => []),
        'the monitor leaves the retrain to the watcher',
      );

      const finished = await events.next((e) => e.type === 'run-finished');
      assert.ok(finished.type === 'run-finished');
      assert.equal(finished.status, 'complete', events.errors);
      const trigger = showRun(dir, finished.runId).trigger;
      assert.deepEqual(trigger?.kind === 'alert' && [trigger.alertId, trigger.model], [alerts[0].id, 'taxi']);
      assert.match(events.errors, /train cached/);
      assert.match(events.errors, /taxi@2 not moved to production: rolled back before · production stays v1/);
      assert.equal(production(), 1);
      assert.equal(events.seen.filter((e) => e.type === 'run-started').length, 1, 'one retrain for the window');

      const store = RunStore.open(path.join(dir, '.mlops', 'store.sqlite'), { readonly: true });
      try {
        const retrains = alerts.map((a) => store.getAlert(a.id)?.actions.find((x) => x.action === 'retrain'));
        assert.deepEqual([retrains[0]?.outcome, retrains[0]?.runId], ['done', finished.runId]);
        assert.ok(retrains.slice(1).every((r) => r?.outcome === 'skipped'));
      } finally {
        store.close();
      }
    } finally {
      watch.kill('SIGTERM');
    }
    assert.equal(((await once(watch, 'exit')) as [number])[0], 130);
  });
});
