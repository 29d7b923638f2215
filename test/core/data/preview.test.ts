import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { dataProblems } from '../../../src/core/data/preview';
import { parsePipeline } from '../../../src/core/pipeline/load';
import { formatProblem } from '../../../src/core/util/problems';
import { tempDir } from '../../helpers/tmp';

async function check(pipeline: string, csv: string) {
  const dir = tempDir();
  await fs.writeFile(path.join(dir, 'train.csv'), csv);
  const parsed = parsePipeline(pipeline, path.join(dir, 'p.pipeline.yaml'));
  assert.deepEqual(parsed.problems, []);
  return (await dataProblems(parsed.config!)).map(formatProblem);
}

const CSV = 'fare,tips,company\n10,2,A\n20,1,B\n';

describe('dataProblems (column names checked against the first rows)', () => {
  it('finds nothing wrong in a matching file', async () => {
    assert.deepEqual(await check('pipeline: p\ndata: { train: train.csv }\nfeatures:\n  derive: { r: "tips / fare" }\nlabel: r\n', CSV), []);
  });

  it('points at an unknown column inside a derived expression, with a suggestion', async () => {
    const [p] = await check('pipeline: p\ndata: { train: train.csv }\nfeatures:\n  derive:\n    r: "tips / fair"\n', CSV);
    assert.match(p, /p\.pipeline\.yaml:5:16: error: .*fair/);
    assert.match(p, /did you mean 'fare'/);
  });

  it('points at an unknown label and an unknown excluded column', async () => {
    const [label] = await check('pipeline: p\ndata: { train: train.csv }\nlabel: tip\n', CSV);
    assert.match(label, /p\.pipeline\.yaml:3:8: error: label: no column named 'tip'[\s\S]*did you mean 'tips'/);
    const [exclude] = await check('pipeline: p\ndata: { train: train.csv }\nfeatures: { exclude: [compnay] }\n', CSV);
    assert.match(exclude, /p\.pipeline\.yaml:3:\d+: error: features\.exclude: no column named 'compnay'/);
  });

  it('reports every misspelt column of every section in one pass, each where it is written', async () => {
    const pipeline = [
      'pipeline: p',
      'data: { train: train.csv, split: { eval: 0.5 } }',
      'label: tipz',
      'transform:',
      '  fair: zscore',
      '  compnay: { vocabulary: {} }',
      'statistics: { slices: [[compani]] }',
      'validate: { drift: { fares: { jsd: 0.1 } } }',
      'train: { model: { type: linear } }',
      'evaluate:',
      '  slices: [[fair]]',
      '  fairness: { sensitive: [companyy] }',
      '',
    ].join('\n');
    const problems = await check(pipeline, CSV);
    assert.deepEqual(
      problems.map((p) => p.replace(/^.*p\.pipeline\.yaml:/, '').replace(/\n\s+hint: /, ' | ')),
      [
        "3:8: error: label: no column named 'tipz' | did you mean 'tips'?",
        "5:3: error: transform: no column named 'fair' | did you mean 'fare'?",
        "6:3: error: transform: no column named 'compnay' | did you mean 'company'?",
        "7:1: error: statistics.slices: no column named 'compani' | did you mean 'company'?",
        "8:1: error: validate.drift: no column named 'fares' | did you mean 'fare'?",
        "11:12: error: evaluate.slices: no column named 'fair' | did you mean 'fare'?",
        "12:27: error: evaluate.fairness.sensitive: no column named 'companyy' | did you mean 'company'?",
      ],
    );
  });

  it('shows a problem of the data file on the line that names it', async () => {
    const [p] = await check('pipeline: p\ndata:\n  train: train.csv\n', '');
    assert.match(p, /p\.pipeline\.yaml:3:\d+: error: .*train\.csv: the file is empty/);
    const [missing] = await check('pipeline: p\ndata:\n  train: nope.csv\n', CSV);
    assert.match(missing, /p\.pipeline\.yaml:3:10: error: data\.train: data file not found/);
  });
});
