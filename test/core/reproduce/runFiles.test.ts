import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { commandWords } from '../../../src/core/reproduce/commandWords';
import { collectRunFiles, contentHash, MAX_SCRIPT_BYTES, scriptWords } from '../../../src/core/reproduce/runFiles';
import { useStoredScripts } from '../../../src/core/reproduce/storedScripts';
import { parsePipeline } from '../../../src/core/pipeline/load';
import { tempDir } from '../../helpers/tmp';

describe('commandWords', () => {
  it('unquotes words and leaves out expansions and redirection targets', () => {
    const words = commandWords(`"$MLOPS_NODE" 'my script.js' --config conf/a\\ b.json *.csv > out.log 2>err.txt; python "train.py"|tee t.txt`);
    assert.deepEqual(
      words.map((w) => w.value),
      ['my script.js', '--config', 'conf/a b.json', '2', 'python', 'train.py', 'tee', 't.txt'],
    );
  });

  it('keeps where each word stands in the command', () => {
    const command = `node  'a b.js' x`;
    assert.deepEqual(
      commandWords(command).map((w) => command.slice(w.start, w.end)),
      ['node', `'a b.js'`, 'x'],
    );
  });
});

function pipeline(dir: string, run: string) {
  const text = `pipeline: p
data: { train: data.csv }
steps:
  - name: fit
    run: ${JSON.stringify(run)}
    outputs: { model: out/model.txt }
`;
  const file = path.join(dir, 'p.pipeline.yaml');
  writeFileSync(file, text);
  const parsed = parsePipeline(text, file);
  assert.deepEqual(parsed.problems, []);
  return parsed.config!;
}

describe('the files a run stores', () => {
  it('stores the pipeline text and the existing workspace files a step names, not its outputs, outside files or big files', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'lib'));
    writeFileSync(path.join(dir, 'train.py'), 'print("fit")\n');
    writeFileSync(path.join(dir, 'lib', 'conf.json'), '{}');
    writeFileSync(path.join(dir, 'big.csv'), Buffer.alloc(MAX_SCRIPT_BYTES + 1));
    const config = pipeline(dir, `python train.py lib/conf.json big.csv missing.py /etc/hostname > out/model.txt && cat out/model.txt`);
    const files = await collectRunFiles(config, config.steps);
    assert.deepEqual(
      files.map((f) => [path.relative(dir, f.path), f.role]),
      [
        ['p.pipeline.yaml', 'pipeline'],
        ['train.py', 'script'],
        [path.join('lib', 'conf.json'), 'script'],
      ],
    );
    assert.equal(files[0].hash, config.hash);
    assert.equal(files[1].hash, contentHash(readFileSync(path.join(dir, 'train.py'))));
    assert.deepEqual(
      scriptWords(config.steps[0], config).map((w) => path.relative(dir, w.path)),
      // Program names resolve like files too; a program file that is not there is never stored.
      ['python', 'train.py', path.join('lib', 'conf.json'), 'big.csv', 'missing.py', 'cat'],
    );
  });

  it('runs an edited script from its stored copy beside it, and removes the copy afterwards', async () => {
    const dir = tempDir();
    const script = path.join(dir, 'train.py');
    writeFileSync(script, 'print("as it ran")\n');
    const config = pipeline(dir, `python train.py --fast`);
    const [, stored] = await collectRunFiles(config, config.steps);
    writeFileSync(script, 'print("edited")\n');

    const scripts = await useStoredScripts(config, [stored]);
    const copy = path.join(dir, `train.mlops-reproduce-${process.pid}.py`);
    assert.equal(scripts.config.steps[0].run, `python ${copy} --fast`);
    assert.equal(readFileSync(copy, 'utf8'), 'print("as it ran")\n');
    assert.equal(config.steps[0].run, 'python train.py --fast', 'the given config is left as it was');
    await scripts.remove();
    assert.equal(existsSync(copy), false);
    assert.equal(readFileSync(script, 'utf8'), 'print("edited")\n');
  });
});
