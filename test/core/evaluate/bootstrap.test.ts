import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateModel } from '../../../src/core/evaluate';
import { bootstrapIntervals, poissonWeights, significantlyWorse } from '../../../src/core/evaluate/bootstrap';
import { percentile } from '../../../src/core/util/percentile';
import { mulberry32 } from '../../../src/core/util/random';
import { binaryData, located, request } from './fixtures';

describe('Poisson bootstrap', () => {
  it('draws weights with mean and variance 1', () => {
    const w = poissonWeights(200_000, mulberry32(1));
    let sum = 0;
    let squares = 0;
    for (const x of w) {
      sum += x;
      squares += x * x;
    }
    const mean = sum / w.length;
    assert.ok(Math.abs(mean - 1) < 0.01, `mean ${mean}`);
    assert.ok(Math.abs(squares / w.length - mean * mean - 1) < 0.02, 'variance');
    // P(K = 0) = 1/e.
    assert.ok(Math.abs(w.filter((x) => x === 0).length / w.length - Math.exp(-1)) < 0.005);
  });

  it('interpolates percentiles like numpy', () => {
    assert.equal(percentile([1, 2, 3, 4], 0.25), 1.75);
    assert.equal(percentile([1, 2, 3, 4], 1), 4);
    assert.equal(percentile([5], 0.975), 5);
  });

  it('gives the percentile interval of each metric, leaving out resamples that cannot compute it', () => {
    const [intervals] = bootstrapIntervals([(w) => ({ total: w.reduce((a, b) => a + b, 0), never: null })], 50, { samples: 200, confidence: 0.9, seed: 3 });
    assert.deepEqual(Object.keys(intervals), ['total']);
    const [lower, upper] = intervals.total;
    // The total of 50 Poisson(1) draws is Poisson(50): its 90 % interval is about 50 ± 1.645 √50.
    assert.ok(lower > 50 - 16 && lower < 50 - 7 && upper > 50 + 7 && upper < 50 + 16, `${lower} ${upper}`);
  });

  it('flags a metric whose interval lies wholly on the bad side of Overall', () => {
    const overall = { auc: 0.8, log_loss: 0.4, calibration: 1 };
    assert.deepEqual(significantlyWorse({ auc: [0.6, 0.79], log_loss: [0.3, 0.5], calibration: [1.5, 2] }, overall), ['auc']);
    assert.deepEqual(significantlyWorse({ auc: [0.6, 0.81], log_loss: [0.41, 0.5] }, overall), ['log_loss']);
  });
});

describe('bootstrap in an evaluation', () => {
  // 3000 rows: the model ranks well on region 'good' and guesses on region 'bad'; 'bucket' is random.
  const random = mulberry32(11);
  const n = 3000;
  const region: string[] = [];
  const bucket: number[] = [];
  const labels: number[] = [];
  const scores: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = random() < 0.4 ? 1 : 0;
    const bad = random() < 0.2;
    region.push(bad ? 'bad' : 'good');
    bucket.push(Math.floor(random() * 8));
    labels.push(label);
    scores.push(bad ? random() : Math.min(1, Math.max(0, 0.5 + (label ? 0.25 : -0.25) + (random() - 0.5) * 0.6)));
  }
  const data = binaryData(labels, scores, { region, bucket });
  const settings = { slices: [located({ features: ['region'] }), located({ features: ['bucket'] })], bootstrap: { samples: 60, confidence: 0.95 } };

  it('repeats exactly with the same seed and differs with another', () => {
    const first = evaluateModel(request(data, settings, 5));
    const again = evaluateModel(request(data, settings, 5));
    const other = evaluateModel(request(data, settings, 6));
    assert.deepEqual(
      first.slices.map((s) => s.intervals),
      again.slices.map((s) => s.intervals),
    );
    assert.notDeepEqual(first.overall.intervals, other.overall.intervals);
    assert.deepEqual(first.bootstrap, { samples: 60, confidence: 0.95, seed: 5 });
    const [lower, upper] = first.overall.intervals!.auc;
    assert.ok(lower < first.overall.metrics.auc! && first.overall.metrics.auc! < upper);
  });

  it('flags the clearly worse slice and rarely a random one', () => {
    const report = evaluateModel(request(data, settings, 5));
    const bad = report.slices.find((s) => s.name === 'region:bad')!;
    assert.ok(bad.worse.includes('auc') && bad.worse.includes('log_loss'), bad.worse.join(','));
    assert.deepEqual(report.overall.worse, []);
    const randomSlices = report.slices.filter((s) => s.spec === 'bucket');
    assert.equal(randomSlices.length, 8);
    const flagged = randomSlices.reduce((sum, s) => sum + s.worse.length, 0);
    const tested = randomSlices.reduce((sum, s) => sum + Object.keys(s.intervals!).length, 0);
    assert.ok(flagged <= tested * 0.1, `${flagged} of ${tested} flagged`);
  });

  it('is off without settings: no intervals, nothing flagged', () => {
    const report = evaluateModel(request(data, { slices: settings.slices }));
    assert.equal(report.bootstrap, undefined);
    assert.ok([report.overall, ...report.slices].every((s) => s.intervals === undefined && s.worse.length === 0));
  });
});
