import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { inferSchema } from '../../../src/core/schema';
import type { DataSchema } from '../../../src/core/schema/types';
import { computeCsvStatistics } from '../../../src/core/stats';
import type { DatasetStatistics } from '../../../src/core/stats/types';
import { validateStatistics } from '../../../src/core/validate';
import { SHARED_DATASETS } from '../../helpers/tmp';

// SHARED_DATASETS assumes the compiled tests live in out/; find the taxi data from other out dirs too.
const TAXI = [
  path.join(SHARED_DATASETS, 'taxi'),
  path.resolve(__dirname, '../../../../../shared/datasets/taxi'),
  path.resolve(__dirname, '../../../../shared/datasets/taxi'),
].find((d) => existsSync(path.join(d, 'train.csv')))!;

describe('taxi: schema from train.csv, then eval and serving against it', () => {
  let train: DatasetStatistics;
  let evalStats: DatasetStatistics;
  let serving: DatasetStatistics;
  let schema: DataSchema;

  before(async () => {
    const stats = async (split: string) => (await computeCsvStatistics(path.join(TAXI, `${split}.csv`), { split })).datasets[0];
    [train, evalStats, serving] = await Promise.all([stats('train'), stats('eval'), stats('serving')]);
    schema = inferSchema(train, { environments: { serving: ['tips'] } });
  });

  it('infers what TFDV infers for the taxi columns', () => {
    assert.equal(schema.features.tips.type, 'float');
    assert.deepEqual(schema.features.tips.presence, { min_fraction: 1, min_count: 1 });
    assert.deepEqual(schema.features.tips.not_in_environment, ['serving']);
    assert.equal(schema.features.trip_start_hour.type, 'int');
    assert.ok(schema.features.payment_type.domain?.includes('Cash'));
    assert.ok((schema.features.company.domain?.length ?? 0) > 10);
    assert.deepEqual(schema.features.dropoff_latitude.presence, { min_count: 1 }); // sometimes empty: optional
    assert.ok(Object.values(schema.features).every((f) => f.range === undefined));
  });

  it('eval: new company values are unexpected string values, listed sorted with their shares', () => {
    const r = validateStatistics({ stats: evalStats, schema, environment: 'training' });
    const company = r.anomalies.find((a) => a.feature === 'company' && a.type === 'ENUM_TYPE_UNEXPECTED_STRING_VALUES');
    assert.ok(company, JSON.stringify(r.anomalies.map((a) => [a.feature, a.type])));
    const values = company.details?.unexpectedValues as string[];
    assert.ok(values.length > 0);
    assert.deepEqual(
      values,
      [...values].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
    );
    assert.ok(values.every((v) => !schema.features.company.domain!.includes(v)));
    assert.match(company.description, /^Examples contain values missing from the schema: .+ \((<1|~\d+)%\)(, .+ \((<1|~\d+)%\))*\.$/);
    assert.equal(company.severity, 'error');
    // Every column is there with its type: only domain anomalies.
    assert.ok(
      r.anomalies.every((a) => a.type === 'ENUM_TYPE_UNEXPECTED_STRING_VALUES'),
      JSON.stringify(r.anomalies.map((a) => [a.feature, a.type])),
    );
  });

  it('serving in environment serving: tips (the label) is not missing; without the environment it is', () => {
    const inServing = validateStatistics({ stats: serving, schema, environment: 'serving' });
    assert.ok(!serving.features.some((f) => f.name === 'tips'));
    assert.deepEqual(
      inServing.anomalies.filter((a) => a.feature === 'tips' || a.type === 'SCHEMA_MISSING_COLUMN'),
      [],
    );
    const noEnv = validateStatistics({ stats: serving, schema, environment: '' });
    const tips = noEnv.anomalies.find((a) => a.feature === 'tips');
    assert.deepEqual([tips?.type, tips?.shortDescription, tips?.description], ['SCHEMA_MISSING_COLUMN', 'Column dropped', 'Column is completely missing']);
  });

  it('skew train vs serving: every compared feature is reported; the label is not compared', () => {
    const r = validateStatistics({
      stats: train,
      serving,
      schema,
      environment: 'training',
      thresholds: { skew: { payment_type: { linf: 0.01 }, fare: { jsd: 0.5, auto: true }, tips: { jsd: 0.1 } } },
    });
    const linf = r.skew.find((s) => s.feature === 'payment_type' && s.method === 'linf')!;
    assert.ok(linf.value > 0 && linf.value < 1 && typeof linf.at === 'string');
    assert.deepEqual(
      r.skew.map((s) => [s.feature, s.method]),
      [
        ['fare', 'jsd'],
        ['fare', 'wasserstein'],
        ['payment_type', 'linf'],
      ],
    );
    assert.ok(r.skew.every((s) => s.current === 'train' && s.reference === 'serving'));
    // A 10k-row training set against 100 serving rows: auto uses a distance, not a p-value.
    assert.equal(r.skew[1].auto, true);
  });

  it('drift eval vs train: one distribution, so the distances stay small and KS does not fire', () => {
    const r = validateStatistics({
      stats: evalStats,
      previous: train,
      schema,
      environment: 'training',
      thresholds: { drift: { fare: { jsd: 0.01, ks: 0.01, wasserstein: 0.1, psi: 0.1 }, trip_miles: { jsd: 0.01 } } },
    });
    assert.equal(r.drift.length, 5);
    assert.deepEqual(
      r.drift.filter((d) => d.fired),
      [],
      JSON.stringify(r.drift),
    );
  });
});
