import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fireActions, type WindowInfo } from '../../../src/core/monitor';
import { parsePipeline } from '../../../src/core/pipeline/load';
import type { RunStore } from '../../../src/core/store';
import type { RunTrigger } from '../../../src/core/store/types';
import type { WatchEvent } from '../../../src/core/triggers/events';
import type { TriggeredRun } from '../../../src/core/triggers/launch';
import type { FileLook } from '../../../src/core/triggers/settle';
import { Watcher } from '../../../src/core/triggers/watcher';
import { isUserError, UserError } from '../../../src/core/util/problems';
import { openTempStore } from '../registry/helpers';
import { FakeClock, newRun } from '../store/helpers';

const FILE = '/work/p/taxi.pipeline.yaml';

/** Runs that start at once (a row in the store) and finish when the test says. */
class FakeRuns {
  readonly started: { trigger: RunTrigger; runId: number; finish: (code: number) => void }[] = [];
  failNext = false;
  /** Each run ends complete as soon as it started. */
  autoFinish = false;
  canceled = 0;
  constructor(private readonly store: RunStore) {}

  readonly start = (trigger: RunTrigger): TriggeredRun => {
    if (this.failNext) {
      this.failNext = false;
      const failed = Promise.reject(UserError.at('mlops run stopped (exit 2) before starting a run: bad file', { file: FILE }));
      failed.catch(() => undefined);
      return { started: failed, finished: Promise.resolve(2), cancel: () => undefined, detach: () => undefined };
    }
    const run = this.store.createRun(newRun({ trigger }));
    let finish!: (code: number) => void;
    const finished = new Promise<number>((resolve) => (finish = resolve));
    const end = (code: number) => {
      this.store.finishRun(run.id, code === 0 ? 'complete' : code === 130 ? 'canceled' : 'failed');
      finish(code);
    };
    this.started.push({ trigger, runId: run.id, finish: end });
    if (this.autoFinish) end(0);
    return {
      started: Promise.resolve(run.id),
      finished,
      cancel: () => {
        this.canceled++;
        end(130);
      },
      detach: () => undefined,
    };
  };
}

/** A watcher over a pipeline with these extra sections, a fake clock and file looks the test sets. */
function watcher(sections: string, store = openTempStore().store) {
  const config = parsePipeline(`pipeline: taxi\ndata:\n  train: 'data/*.csv'\n${sections}`, FILE).config!;
  const clock = new FakeClock(new Date(2026, 0, 1, 2, 59, 0).getTime());
  const runs = new FakeRuns(store);
  const events: WatchEvent[] = [];
  let files: FileLook[] = [{ file: '/work/p/data/a.csv', bytes: 10, mtimeMs: 1 }];
  const w = new Watcher({ config, store, start: runs.start, report: (e) => events.push(e), now: clock.now, lookAtSpans: async () => files });
  return { w, store, clock, runs, events, setFiles: (f: FileLook[]) => (files = f) };
}

const kinds = (events: WatchEvent[]) => events.map((e) => (e.type === 'trigger' ? `trigger ${e.trigger.kind} ${e.outcome}` : e.type));
/** Lets the promise callbacks the watcher chained run. */
const settleDown = () => new Promise((resolve) => setImmediate(resolve));

describe('the watcher', () => {
  it('refuses to start with nothing to watch, naming the pipeline file', async () => {
    const { w } = watcher('triggers: { spans: false }\n');
    await assert.rejects(
      () => w.start(),
      (e) => isUserError(e) && /there is nothing to watch/.test(e.message) && e.problems[0].location?.file === FILE,
    );
  });

  it('catches up on span files the newest complete run did not read (dropped while no watcher ran)', async () => {
    const store = openTempStore().store;
    const run = store.createRun(newRun());
    const ingest = store.startExecution(run.id, 'ingest', 'ingest').id;
    const read = store.createArtifact({ type: 'DataFile', uri: '/work/p/data/a.csv' });
    store.publishArtifact(read.id, { contentHash: 'sha256:a', sizeBytes: 10 });
    store.linkArtifact(ingest, read.id, 'input', 'train/a.csv');
    store.finishExecution(ingest, 'complete');
    store.finishRun(run.id, 'complete');
    const { w, runs, setFiles, events } = watcher('', store);
    setFiles([
      { file: '/work/p/data/a.csv', bytes: 10, mtimeMs: 1 },
      { file: '/work/p/data/b.csv', bytes: 10, mtimeMs: 1 },
    ]);
    await w.start();
    await settleDown();
    assert.deepEqual(
      runs.started.map((r) => r.trigger),
      [{ kind: 'span', files: ['/work/p/data/b.csv'] }],
    );
    runs.started[0].finish(0);
    await w.idle();
    assert.deepEqual(kinds(events).slice(0, 2), ['watching', 'trigger span started']);
  });

  it('runs on a due schedule once, folding missed times into one run, and says when it runs next', async () => {
    const { w, clock, runs, events } = watcher('triggers: { spans: false, schedule: "0 3 * * *" }\n');
    await w.start();
    const first = events[0];
    assert.equal(first.type === 'watching' && first.nextScheduled, new Date(2026, 0, 1, 3, 0, 0).getTime());
    await w.check();
    assert.equal(runs.started.length, 0);
    clock.time = new Date(2026, 0, 3, 4, 0, 0).getTime(); // two days later: 3:00 was missed twice
    await w.check();
    await settleDown();
    assert.deepEqual(
      runs.started.map((r) => r.trigger),
      [{ kind: 'schedule', cron: '0 3 * * *', at: new Date(2026, 0, 1, 3, 0, 0).getTime() }],
    );
    assert.ok(events.some((e) => e.type === 'scheduled' && e.next === new Date(2026, 0, 4, 3, 0, 0).getTime()));
    runs.started[0].finish(0);
    await w.idle();
    assert.deepEqual(kinds(events), ['watching', 'trigger schedule started', 'scheduled', 'run-started', 'run-finished']);
  });

  it('runs one at a time: a trigger while running queues one follow-up, later ones join it', async () => {
    const { w, clock, runs, events, setFiles } = watcher('triggers: { settle: 1s }\n');
    await w.start();
    const file = (name: string) => ({ file: `/work/p/data/${name}`, bytes: 5, mtimeMs: 5 });
    setFiles([file('a.csv'), file('b.csv')]);
    await w.check();
    clock.advance(1000);
    await w.check();
    await settleDown();
    assert.equal(runs.started.length, 1);
    for (const name of ['c.csv', 'd.csv']) {
      setFiles([file('a.csv'), file('b.csv'), file('c.csv'), ...(name === 'd.csv' ? [file('d.csv')] : [])]);
      await w.check();
      clock.advance(1000);
      await w.check();
    }
    assert.equal(runs.started.length, 1, 'no second run while the first goes');
    runs.started[0].finish(2); // a failing run: reported, and watching goes on
    await settleDown();
    assert.deepEqual(
      runs.started.map((r) => r.trigger),
      [
        { kind: 'span', files: ['/work/p/data/b.csv'] },
        { kind: 'span', files: ['/work/p/data/c.csv', '/work/p/data/d.csv'] },
      ],
    );
    runs.started[1].finish(0);
    await w.idle();
    assert.deepEqual(
      events.filter((e) => e.type === 'trigger').map((e) => e.type === 'trigger' && e.outcome),
      ['started', 'queued', 'merged', 'started'],
    );
    assert.deepEqual(
      events.filter((e) => e.type === 'run-finished').map((e) => e.type === 'run-finished' && [e.runId, e.status, e.exitCode]),
      [
        [runs.started[0].runId, 'failed', 2],
        [runs.started[1].runId, 'complete', 0],
      ],
    );
  });

  it('reports a run that could not start and goes on watching', async () => {
    const { w, clock, runs, events } = watcher('triggers: { spans: false, schedule: "* * * * *" }\n');
    await w.start();
    runs.failNext = true;
    clock.advance(60_000);
    await w.check();
    await w.idle();
    clock.advance(60_000);
    await w.check();
    await settleDown();
    const failed = events.find((e) => e.type === 'run-not-started');
    assert.match(failed?.type === 'run-not-started' ? failed.message : '', /before starting a run: bad file/);
    assert.equal(runs.started.length, 1);
  });

  it("takes its model's retrain alerts: one run per window, the alert's action names the run; older alerts are not its", async () => {
    const { store } = openTempStore();
    const window = (n: number): WindowInfo => ({ key: `v1/rows@w${n}`, model: 'taxi', version: 1, start: n, end: n, rows: 100 });
    const raise = (subject: string, n: number) =>
      store.recordAlert({
        model: 'taxi',
        version: 1,
        kind: 'drift',
        subject,
        method: 'psi',
        value: 1,
        threshold: 0.2,
        window: window(n),
        message: `${subject} moved`,
      }).alert;
    const before = raise('fare', 0);
    const { w, runs } = watcher('monitor: { actions: [notify, retrain] }\ntriggers: { spans: false }\n', store);
    runs.autoFinish = true;
    await w.start();
    // What `mlops monitor` does while a watcher of the pipeline is live: leaves the retrain to it.
    const fare = raise('fare', 1);
    const company = raise('company', 1);
    assert.deepEqual(await fireActions(fare, ['retrain'], { store, retrainWatched: () => true }), []);
    await w.check();
    await w.idle();
    assert.deepEqual(
      runs.started.map((r) => r.trigger),
      [{ kind: 'alert', alertId: fare.id, model: 'taxi', message: 'fare moved' }],
    );
    const action = (id: number) => store.getAlert(id)?.actions.find((a) => a.action === 'retrain');
    assert.deepEqual([action(fare.id)?.outcome, action(fare.id)?.runId], ['done', runs.started[0].runId]);
    assert.match(action(company.id)?.detail ?? '', /this window already started run/);
    assert.equal(action(before.id), undefined);
  });

  it('stopping drops the queued run (its alert says so) and cancels the running one', async () => {
    const { store } = openTempStore();
    const { w, runs, events, clock } = watcher('monitor: { actions: [retrain] }\ntriggers: { spans: false, schedule: "* * * * *" }\n', store);
    await w.start();
    clock.advance(60_000);
    await w.check();
    const alert = store.recordAlert({
      model: 'taxi',
      version: 1,
      kind: 'drift',
      subject: 'fare',
      method: 'psi',
      value: 1,
      threshold: 0.2,
      window: { key: 'k', model: 'taxi', version: 1, start: 0, end: 0, rows: 1 },
      message: 'fare moved',
    }).alert;
    await w.check();
    await settleDown();
    assert.deepEqual(kinds(events).slice(-1), ['trigger alert queued']);
    await w.stop();
    assert.equal(runs.canceled, 1);
    assert.equal(runs.started.length, 1);
    const retrain = store.getAlert(alert.id)?.actions.find((a) => a.action === 'retrain');
    assert.deepEqual([retrain?.outcome, retrain?.detail], ['failed', 'mlops watch stopped before this run started']);
  });
});
