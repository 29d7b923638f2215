import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { mlops, mlopsJson } from '../helpers/cli';
import { taxiPipeline } from '../helpers/taxiPipeline';
import { SHARED_DATASETS, tempDir } from '../helpers/tmp';

/**
 * A rollback is a person's decision: a retrain that reuses its cached model (so it is the version
 * rolled back from) does not put it back in production by itself.
 */
describe('a pipeline after a rollback', () => {
  it('leaves production where the rollback put it, says so in the push summary, and a person can still push by hand', () => {
    const dir = tempDir('mlops-rollback-');
    const pipeline = (epochs: number) => taxiPipeline(path.join(SHARED_DATASETS, 'taxi'), { hidden: [8], epochs }) + 'push: { model: taxi }\n';
    const run = () => {
      const r = mlops(['run', 'taxi.pipeline.yaml'], dir);
      assert.equal(r.status, 0, r.stderr + r.stdout);
      return r.stdout;
    };
    writeFileSync(path.join(dir, 'taxi.pipeline.yaml'), pipeline(1));
    run();
    writeFileSync(path.join(dir, 'taxi.pipeline.yaml'), pipeline(2));
    run();
    assert.equal(mlops(['rollback', 'taxi', '--reason', 'v2 drifts'], dir).status, 0);

    const retrain = run();
    assert.match(retrain, /train cached/);
    assert.match(retrain, /taxi@2 not moved to production: rolled back before · production stays v1/);
    assert.match(retrain, /taxi@2 was rolled back from production at .* \(v2 drifts\): production stays at version 1; `mlops push taxi@2` moves it by hand/);
    const production = () => mlopsJson<{ model: { aliases: Record<string, number> } }>(['models', 'show', 'taxi'], dir).model.aliases.production;
    assert.equal(production(), 1);

    assert.equal(mlops(['push', 'taxi@2'], dir).status, 0);
    assert.equal(production(), 2);
  });
});
