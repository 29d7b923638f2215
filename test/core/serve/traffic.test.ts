import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServeMetrics } from '../../../src/core/serve/metrics';
import { histogramQuantile, trafficBetween } from '../../../src/core/serve/traffic';

describe('prediction traffic', () => {
  it('estimates quantiles within a bucket as Prometheus does', () => {
    const bounds = [0.001, 0.002, 0.004];
    // 10 requests ≤ 1 ms, 10 in (1, 2] ms: the median is the top of the first bucket, p75 half way up the second.
    assert.equal(histogramQuantile([10, 10, 0, 0], bounds, 0.5), 1);
    assert.equal(histogramQuantile([10, 10, 0, 0], bounds, 0.75), 1.5);
    assert.equal(histogramQuantile([0, 0, 0, 0], bounds, 0.5), null);
    // Beyond the largest bound, the largest bound is all that is known.
    assert.equal(histogramQuantile([0, 0, 0, 5], bounds, 0.99), 4);
  });

  it('counts only prediction endpoints, errors by status, rows as predicted', () => {
    const metrics = new ServeMetrics();
    const before = metrics.trafficCounters(1000);
    metrics.observe('tfserving_predict', 200, 0.0008);
    metrics.observe('v2_infer', 400, 0.0003);
    metrics.observe('mlflow_invocations', 200, 0.003);
    metrics.observe('metrics', 200, 0.0001);
    metrics.observe('v2_live', 200, 0.0001);
    metrics.predicted(1, 7);
    const stats = trafficBetween(before, metrics.trafficCounters(3000));
    assert.equal(stats.seconds, 2);
    assert.equal(stats.requestsPerSecond, 1.5);
    assert.equal(stats.errorsPerSecond, 0.5);
    assert.equal(stats.rowsPerSecond, 3.5);
    assert.ok(stats.p50Ms! > 0.5 && stats.p50Ms! <= 1, `p50 ${stats.p50Ms}`);
    assert.ok(stats.p99Ms! > 2.5 && stats.p99Ms! <= 5, `p99 ${stats.p99Ms}`);
  });

  it('reports an idle interval as zero rates and no latency', () => {
    const metrics = new ServeMetrics();
    metrics.observe('tfserving_predict', 200, 0.001);
    const a = metrics.trafficCounters(0);
    const stats = trafficBetween(a, metrics.trafficCounters(1000));
    assert.deepEqual([stats.requestsPerSecond, stats.p50Ms, stats.p99Ms], [0, null, null]);
  });
});
