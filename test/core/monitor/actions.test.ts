import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fireActions, type ActionDeps, type AlertRecord, type NewAlert, type WindowInfo } from '../../../src/core/monitor';
import { newVersionFromRun, pushModel } from '../../../src/core/registry';
import type { RunStore } from '../../../src/core/store';
import { UserError } from '../../../src/core/util/problems';
import { newRun } from '../store/helpers';
import { openTempStore, trainedRun } from '../registry/helpers';

const ALL = ['notify', 'retrain', 'rollback'] as const;

/** A registry with taxi@1 and taxi@2, production on 2. */
async function servedTwice(): Promise<RunStore> {
  const { store } = openTempStore();
  for (let i = 0; i < 2; i++) {
    const run = trainedRun(store, { blessed: true });
    await pushModel(store, {
      target: { kind: 'new', version: newVersionFromRun(store, run.runId, 'taxi') },
      alias: 'production',
      force: false,
      reason: `pushed by run #${run.runId}`,
    });
  }
  return store;
}

const window = (n: number, version = 2): WindowInfo => ({
  key: `v${version}/rows@w${n}`,
  model: 'taxi',
  version,
  start: n * 1000,
  end: n * 1000 + 999,
  rows: 1000,
});

/** An alert stored as `mlops monitor` stores it for a pipeline whose actions are `ALL` (notify with it, unless `notify` is false). */
function alert(store: RunStore, kind: NewAlert['kind'], subject: string, w: WindowInfo, notify = true): { alert: AlertRecord; created: boolean } {
  const method = kind === 'performance' ? 'value' : 'wasserstein';
  return store.recordAlert(
    { model: 'taxi', version: w.version, kind, subject, method, value: 0.4, threshold: 0.1, window: w, message: `${subject} moved` },
    { notify },
  );
}

/** A retrain that records a running run, as `mlops run` in a child process would. */
function fakeRetrain(store: RunStore): ActionDeps['retrain'] & { calls: number } {
  const retrain = async () => {
    retrain.calls++;
    return { runId: store.createRun(newRun()).id };
  };
  retrain.calls = 0;
  return retrain;
}

const summary = (fired: { action: string; outcome: string; detail: string }[]) => fired.map((f) => `${f.action} ${f.outcome}: ${f.detail}`);

describe('alert actions', () => {
  it('retrain and rollback each fire once per alert (notify is stored with it); a second pass over the same window fires nothing', async () => {
    const store = await servedTwice();
    const retrain = fakeRetrain(store);
    const deps = { store, retrain };
    const fare = alert(store, 'drift', 'fare', window(1));
    const company = alert(store, 'drift', 'company', window(1));
    const accuracy = alert(store, 'performance', 'accuracy', window(1));
    assert.deepEqual([fare.created, company.created, accuracy.created], [true, true, true]);

    const firedFare = await fireActions(fare.alert, ALL, deps);
    assert.deepEqual(summary(firedFare), ['retrain done: run #3 started']);
    assert.deepEqual(summary(await fireActions(company.alert, ALL, deps)), [`retrain skipped: this window already started run #3 (alert #${fare.alert.id})`]);
    assert.deepEqual(summary(await fireActions(accuracy.alert, ALL, deps)), [
      `retrain skipped: this window already started run #3 (alert #${fare.alert.id})`,
      'rollback done: production 2 → 1',
    ]);
    assert.equal(store.getModel('taxi')?.aliases.production, 1);
    assert.match(store.aliasHistory('taxi', 'production')[0].reason, new RegExp(`^monitor alert #${accuracy.alert.id}: accuracy moved`));

    const history = store.aliasHistory('taxi').length;
    for (const subject of ['fare', 'company', 'accuracy']) {
      const again = alert(store, subject === 'accuracy' ? 'performance' : 'drift', subject, window(1));
      assert.equal(again.created, false);
      assert.deepEqual(await fireActions(again.alert, ALL, deps), []);
    }
    assert.equal(retrain.calls, 1);
    assert.equal(store.aliasHistory('taxi').length, history);
    assert.deepEqual(
      store.getAlert(fare.alert.id)?.actions.map((a) => [a.action, a.outcome, a.runId]),
      [
        ['notify', 'done', null],
        ['retrain', 'done', 3],
      ],
    );
  });

  it('an alert stored with notify carries its notify action from the start, and firing does not repeat it', async () => {
    const store = await servedTwice();
    const stored = alert(store, 'drift', 'fare', window(1));
    assert.deepEqual(
      stored.alert.actions.map((a) => [a.action, a.outcome, a.detail]),
      [['notify', 'done', 'stored for the editor to show']],
    );
    assert.deepEqual(await fireActions(stored.alert, ['notify'], { store }), []);
    // Seen again, the alert is not new and gains nothing.
    const again = alert(store, 'drift', 'fare', window(1));
    assert.deepEqual([again.created, again.alert.actions.length], [false, 1]);
    // Without notify in the pipeline's actions, nothing says to show it.
    assert.deepEqual(alert(store, 'drift', 'company', window(1), false).alert.actions, []);
  });

  it('retrains again only once the earlier retrain run has finished; rolls back only the version that is in production', async () => {
    const store = await servedTwice();
    const retrain = fakeRetrain(store);
    const deps = { store, retrain };
    await fireActions(alert(store, 'performance', 'accuracy', window(1)).alert, ALL, deps);
    assert.equal(store.getModel('taxi')?.aliases.production, 1);

    const later = alert(store, 'performance', 'accuracy', window(2)).alert;
    assert.deepEqual(summary(await fireActions(later, ALL, deps)), [
      'retrain skipped: run #3 (started by alert #1) is still running',
      'rollback skipped: taxi production is version 1, not the alerting version 2',
    ]);
    store.finishRun(3, 'complete');
    const afterwards = alert(store, 'drift', 'fare', window(3, 1)).alert;
    assert.deepEqual(summary(await fireActions(afterwards, ['retrain', 'rollback'], deps)), ['retrain done: run #4 started']);
    assert.equal(retrain.calls, 2);
  });

  it('leaves the retrain unclaimed while a watcher of the pipeline takes it, which then claims it once', async () => {
    const store = await servedTwice();
    const retrain = fakeRetrain(store);
    const fare = alert(store, 'drift', 'fare', window(1)).alert;
    assert.deepEqual(await fireActions(fare, ['retrain'], { store, retrain, retrainWatched: () => true }), []);
    assert.deepEqual(
      store.getAlert(fare.id)?.actions.map((a) => a.action),
      ['notify'],
    );
    assert.deepEqual(summary(await fireActions(fare, ['retrain'], { store, retrain })), ['retrain done: run #3 started']);
    assert.deepEqual(await fireActions(fare, ['retrain'], { store, retrain }), []);
    assert.equal(retrain.calls, 1);
  });

  it('records a failed action with its reason and does not try it again', async () => {
    const store = await servedTwice();
    const broken = async (): Promise<never> => {
      throw UserError.at('retraining did not start a run: pipeline file not found', { file: 'gone.pipeline.yaml' });
    };
    const first = alert(store, 'drift', 'fare', window(1)).alert;
    assert.deepEqual(summary(await fireActions(first, ['retrain'], { store, retrain: broken })), [
      'retrain failed: retraining did not start a run: pipeline file not found',
    ]);
    assert.deepEqual(await fireActions(first, ['retrain'], { store, retrain: fakeRetrain(store) }), []);
    const second = alert(store, 'drift', 'fare', window(2)).alert;
    assert.deepEqual(summary(await fireActions(second, ['retrain'], { store })), [
      'retrain failed: no pipeline file to run: name it (mlops monitor <pipeline>)',
    ]);
  });
});
