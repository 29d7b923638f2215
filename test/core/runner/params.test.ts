import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePipeline } from '../../../src/core/pipeline/load';
import { pipelineParams } from '../../../src/core/runner/params';

const PIPELINE = `pipeline: p
data:
  train: data/train.csv
label: y
validate:
  drift:
    color: { linf: 0.15 }
transform:
  color: { vocabulary: { top_k: 10 } }
  x1: { log: true, scale: zscore }
train:
  model: { type: dnn, hidden: [32, 16] }
  early_stopping: { monitor: val_auc, patience: 2 }
`;

test("parameters are one setting each, in the pipeline file's words, never a JSON object", () => {
  const { config, problems } = parsePipeline(PIPELINE, '/w/p.pipeline.yaml');
  assert.deepEqual(
    problems.filter((p) => p.severity === 'error'),
    [],
  );
  const params = pipelineParams(config!);
  assert.equal(params['train.early_stopping.patience'], '2');
  assert.equal(params['train.early_stopping.monitor'], 'val_auc');
  assert.equal(params['train.early_stopping.restore_best'], 'true', 'snake_case, as the file writes it');
  assert.equal(params['train.model.hidden'], '[32,16]', 'a list stays whole');
  assert.equal(params['validate.drift.color.linf'], '0.15');
  assert.equal(params['transform.x1.scale'], 'zscore');
  assert.equal(params['transform.color.top_k'], '10');
  assert.equal(params['transform.color.column'], undefined, 'the key already names the column');
  for (const [key, value] of Object.entries(params)) assert.doesNotMatch(value, /^\{/, `${key} is an object: ${value}`);
});
