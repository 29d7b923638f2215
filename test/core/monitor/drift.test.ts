import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { driftThresholds, evaluateWindow, type VersionReference } from '../../../src/core/monitor';
import { EMPTY_SCHEMA } from '../../../src/core/monitor/drift';
import { WindowAssembler } from '../../../src/core/monitor/windows';
import type { DataSchema } from '../../../src/core/schema/types';
import type { ServedRecord } from '../../../src/core/serve/log';
import { computeCsvStatistics } from '../../../src/core/stats';
import type { DatasetStatistics } from '../../../src/core/stats/types';
import { sampleRows, served, shifted, TAXI_TRAIN } from './fixtures';

const WINDOW = 2000;

function reference(training: DatasetStatistics, overrides: Partial<VersionReference> = {}): VersionReference {
  const features = training.features.filter((f) => f.name !== 'tips').map((f) => ({ name: f.name, type: f.type, categoricalInt: false }));
  return {
    model: 'taxi',
    version: 1,
    features,
    training,
    schema: EMPTY_SCHEMA,
    thresholds: driftThresholds(
      features.map((f) => f.name),
      { monitor: {}, schema: EMPTY_SCHEMA },
    ),
    predictionThresholds: { auto: true },
    bounds: [],
    notes: [],
    ...overrides,
  };
}

function oneWindow(records: ServedRecord[]) {
  const [window] = new WindowAssembler('taxi', { rows: records.length }).add(records);
  return window;
}

const noLabels = () => undefined;

describe('feature drift of a window of served rows against the training statistics', () => {
  let training: DatasetStatistics;
  before(async () => {
    training = (await computeCsvStatistics(TAXI_TRAIN, { workers: 0 })).datasets.find((d) => d.name === 'train')!;
  });

  it('does not fire on a window drawn from the training data, and measures every served feature', async () => {
    const rows = await sampleRows(TAXI_TRAIN, WINDOW, 11);
    const report = evaluateWindow(oneWindow(served(rows, { prefix: 'r', version: 1, at: 0 })), reference(training), noLabels, 100);
    const withValues = training.features.filter((f) => f.name !== 'tips' && f.numPresent > 0).map((f) => f.name);
    assert.deepEqual([...new Set(report.drift.map((r) => r.feature))].sort(), withValues.sort());
    assert.deepEqual(
      report.drift.filter((r) => r.fired).map((r) => `${r.feature} ${r.value}`),
      [],
    );
    // Above 1000 rows Evidently's rule picks distances: Wasserstein/std for numbers, Jensen-Shannon for strings.
    assert.equal(report.drift.find((r) => r.feature === 'fare')?.method, 'wasserstein');
    assert.equal(report.drift.find((r) => r.feature === 'payment_type')?.method, 'jsd');
  });

  it('fires on the shifted numeric feature and the changed categorical mix, and only there', async () => {
    const rows = shifted(await sampleRows(TAXI_TRAIN, WINDOW, 12));
    const report = evaluateWindow(oneWindow(served(rows, { prefix: 's', version: 1, at: 0 })), reference(training), noLabels, 100);
    const fired = report.drift.filter((r) => r.fired);
    assert.deepEqual(
      fired.map((r) => r.feature),
      ['fare', 'payment_type'],
    );
    assert.deepEqual(
      fired.map((r) => r.method),
      ['wasserstein', 'jsd'],
    );
    assert.ok(fired[0].value > 1, `fare moved by ${fired[0].value} standard deviations`);
  });

  it('uses the thresholds it is given, and checks nothing on a window below min_rows', async () => {
    const rows = shifted(await sampleRows(TAXI_TRAIN, 300, 13));
    const window = oneWindow(served(rows, { prefix: 't', version: 1, at: 0 }));
    const explicit = reference(training, { thresholds: { fare: { psi: 0.25 }, trip_miles: { ks: 0.05 } } });
    const report = evaluateWindow(window, explicit, noLabels, 100);
    assert.deepEqual(
      report.drift.map((r) => [r.feature, r.method, r.fired]),
      [
        ['fare', 'psi', true],
        ['trip_miles', 'ks', false],
      ],
    );
    const tooFew = evaluateWindow(window, explicit, noLabels, 500);
    assert.deepEqual(tooFew.drift, []);
    assert.match(tooFew.notes.join('\n'), /300 rows, fewer than min_rows 500: drift is not checked/);
  });

  it('counts served values of the wrong type as missing, per feature', async () => {
    const rows = await sampleRows(TAXI_TRAIN, 200, 14);
    const records = served(rows, { prefix: 'b', version: 1, at: 0 });
    records[3].inputs.fare = 'lots';
    records[7].inputs.fare = 'lots';
    const report = evaluateWindow(oneWindow(records), reference(training), noLabels, 100);
    assert.deepEqual(report.invalid, { fare: 2 });
  });
});

describe('driftThresholds', () => {
  it('takes monitor.drift, then validate.skew, the schema skew, validate.drift, the schema drift, else the automatic choice', () => {
    const schema: DataSchema = {
      version: 1,
      features: {
        a: { type: 'float', skew: { psi: 0.3 }, drift: { jsd: 0.1 } },
        b: { type: 'float', skew: { psi: 0.3 } },
        c: { type: 'float', drift: { jsd: 0.1 } },
        d: { type: 'float', drift: { jsd: 0.1 } },
        e: { type: 'float' },
      },
    };
    const t = driftThresholds(['a', 'b', 'c', 'd', 'e', 'f'], {
      monitor: { a: { wasserstein: 0.2 } },
      validate: { skew: { b: { linf: 0.1 } }, drift: { c: { ks: 0.01 } } },
      schema,
    });
    assert.deepEqual(t, { a: { wasserstein: 0.2 }, b: { linf: 0.1 }, c: { ks: 0.01 }, d: { jsd: 0.1 }, e: { auto: true }, f: { auto: true } });
  });
});
