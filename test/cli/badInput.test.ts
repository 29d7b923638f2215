import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, promises as fs, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { openRaw } from '../helpers/rawSqlite';
import type { RunDetails, RunListPage } from '../../src/core/store/types';
import { mlops, mlopsAsync, mlopsJson } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const GOOD_CSV = 'fare,tips,company\n10,2.5,A\n20,1,B\n15,4,"C, Inc."\n';

/** A workspace with one pipeline file and the given data files. */
async function workspace(pipeline: string, files: Record<string, string | Buffer>): Promise<string> {
  const dir = tempDir();
  await fs.writeFile(path.join(dir, 'p.pipeline.yaml'), pipeline);
  for (const [name, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await fs.writeFile(path.join(dir, name), content);
  }
  return dir;
}

const BASIC = 'pipeline: p\ndata:\n  train: data/train.csv\n  split: { eval: 0.3 }\n  max_bad_rows: 0\n';

/** Each case: exit code 2, a message naming where, and the run (if one started) recorded as failed. */
const CASES: { name: string; pipeline?: string; files?: Record<string, string | Buffer>; expect: RegExp[] }[] = [
  { name: 'malformed YAML', pipeline: 'pipeline: p\ndata:\n  train: [a.csv\n', expect: [/p\.pipeline\.yaml:\d+:\d+: error/] },
  {
    name: 'schema violation',
    pipeline: 'pipeline: p\ndata:\n  train: data/train.csv\n  max_bad_rows: many\n',
    expect: [/p\.pipeline\.yaml:4:\d+: error: data\.max_bad_rows: expected a number/],
  },
  { name: 'missing data file', pipeline: 'pipeline: p\ndata: { train: data/nope.csv }\n', expect: [/p\.pipeline\.yaml:2:\d+/, /nope\.csv/] },
  { name: 'glob matching nothing', pipeline: 'pipeline: p\ndata: { train: "data/*.tsv" }\n', expect: [/p\.pipeline\.yaml:2:\d+/, /data\/\*\.tsv/] },
  { name: 'empty CSV', files: { 'data/train.csv': '' }, expect: [/train\.csv/, /empty/i] },
  { name: 'no header', files: { 'data/train.csv': '1,2,3\n4,5,6\n' }, expect: [/train\.csv/, /header/i] },
  { name: 'unterminated quote', files: { 'data/train.csv': 'a,b\n1,2\n3,"oops\n5,6\n' }, expect: [/train\.csv/, /(row|line) 2|:3\b/, /quote/i] },
  { name: 'wrong column count', files: { 'data/train.csv': 'a,b\n1,2\n3,4,5\n6,7\n' }, expect: [/train\.csv/, /(row 2|:3\b)/, /expected 2 fields, found 3/] },
  {
    name: 'non-UTF-8 bytes',
    files: { 'data/train.csv': Buffer.concat([Buffer.from('a,b\n1,2\n3,'), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]) },
    expect: [/train\.csv/, /(row 2|:3\b)/, /UTF-8/],
  },
  {
    name: 'derived expression that does not parse',
    pipeline: BASIC + 'features:\n  derive:\n    r: "fare * (tips + 1"\n',
    files: { 'data/train.csv': GOOD_CSV },
    expect: [/p\.pipeline\.yaml:8:\d+: error/],
  },
  {
    name: 'derived expression naming an unknown column',
    pipeline: BASIC + 'features:\n  derive:\n    r: "fare + tipz"\n',
    files: { 'data/train.csv': GOOD_CSV },
    expect: [/p\.pipeline\.yaml:8:\d+/, /tipz/],
  },
  {
    name: 'an unquoted glob, which YAML reads as an alias',
    pipeline: 'pipeline: p\ndata:\n  train: **/*.csv\n',
    files: { 'data/train.csv': GOOD_CSV },
    expect: [
      /p\.pipeline\.yaml:3:10: error: \*\*\/\*\.csv starts with '\*', so YAML reads it as an alias/,
      /hint: a glob pattern must be quoted: '\*\*\/\*\.csv'/,
    ],
  },
  {
    name: 'YAML aliases that expand without end (a "billion laughs" file)',
    pipeline:
      BASIC +
      'x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n' +
      Array.from({ length: 8 }, (_, i) => `x${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(', ')}]\n`).join(''),
    files: { 'data/train.csv': GOOD_CSV },
    expect: [/p\.pipeline\.yaml:1:1: error: the file's YAML aliases \(\*name\) expand to too much/],
  },
  {
    name: 'a derived expression nested 300 levels deep',
    pipeline: BASIC + `features:\n  derive:\n    r: "${'('.repeat(300)}fare${')'.repeat(300)}"\n`,
    files: { 'data/train.csv': GOOD_CSV },
    expect: [/p\.pipeline\.yaml:8:\d+: error: the expression nests more than 200 levels deep/],
  },
  {
    name: 'a derived expression summing 1,000 terms (a deep tree from a flat text)',
    pipeline: BASIC + `features:\n  derive:\n    r: "${Array(1000).fill('fare').join('+')}"\n`,
    files: { 'data/train.csv': GOOD_CSV },
    expect: [/p\.pipeline\.yaml:8:\d+: error: the expression nests more than 200 levels deep/],
  },
  {
    name: 'a derived expression of a million characters',
    pipeline: BASIC + `features:\n  derive:\n    r: "fare${' + 1'.repeat(250_000)}"\n`,
    files: { 'data/train.csv': GOOD_CSV },
    expect: [/p\.pipeline\.yaml:8:\d+: error: the expression is 1,000,004 characters long; at most 10,000 are allowed/],
  },
  {
    name: 'a path with a part longer than 255 bytes',
    pipeline: `pipeline: p\ndata:\n  train: ${'d'.repeat(300)}/train.csv\n`,
    expect: [/d{300}\/train\.csv is too long a name: a part of a path may have at most 255 bytes/],
  },
];

describe('bad input: a clear message, exit code 2, nothing lost', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const dir = await workspace(c.pipeline ?? BASIC, c.files ?? {});
      const r = mlops(['run', 'p.pipeline.yaml'], dir);
      assert.equal(r.status, 2, r.stdout + r.stderr);
      const output = r.stdout + r.stderr;
      for (const re of c.expect) assert.match(output, re);
      assert.doesNotMatch(output, /internal error|\n\s+at .*\(.*:\d+:\d+\)/, 'no stack trace for a user error');
      const page = mlopsJson<RunListPage>(['runs', 'list'], dir);
      for (const run of page.runs) assert.equal(run.status, 'failed');
    });
  }

  it('a good file runs, as a control for the cases above', async () => {
    const dir = await workspace(BASIC, { 'data/train.csv': GOOD_CSV });
    const r = mlops(['run', 'p.pipeline.yaml'], dir);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });
});

describe('the run store under stress', () => {
  it('waits for a locked store, then says so clearly', async () => {
    const dir = await workspace(BASIC, { 'data/train.csv': GOOD_CSV });
    assert.equal(mlops(['run', 'p.pipeline.yaml'], dir).status, 0);
    const db = openRaw(path.join(dir, '.mlops', 'store.sqlite'));
    db.exec('BEGIN EXCLUSIVE');
    try {
      const started = Date.now();
      const r = mlops(['run', 'p.pipeline.yaml'], dir);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /store\.sqlite.*locked by another process/);
      assert.ok(Date.now() - started >= 1000, 'it waited before giving up');
    } finally {
      db.exec('ROLLBACK');
      db.close();
    }
    assert.equal(mlops(['run', 'p.pipeline.yaml'], dir).status, 0, 'works again once the lock is gone');
  });

  it('an empty store file holds no run yet: the readers say so and exit 0, a run fills it', async () => {
    const dir = await workspace(BASIC, { 'data/train.csv': GOOD_CSV });
    await fs.mkdir(path.join(dir, '.mlops'));
    writeFileSync(path.join(dir, '.mlops', 'store.sqlite'), '');
    const list = mlops(['runs', 'list'], dir);
    assert.deepEqual([list.status, list.stderr], [0, '']);
    assert.match(list.stdout, /no runs yet/);
    assert.equal(mlops(['models', 'list'], dir).status, 0);
    assert.equal(mlops(['run', 'p.pipeline.yaml'], dir).status, 0);
    assert.equal(mlopsJson<RunListPage>(['runs', 'list'], dir).total, 1);
  });

  it('a folder where the store file should be: exit 2 naming it, no stack trace', async () => {
    const dir = await workspace(BASIC, { 'data/train.csv': GOOD_CSV });
    await fs.mkdir(path.join(dir, '.mlops', 'store.sqlite'), { recursive: true });
    for (const args of [
      ['runs', 'list'],
      ['runs', 'show', '1'],
      ['models', 'list'],
      ['run', 'p.pipeline.yaml'],
    ]) {
      const r = mlops(args, dir);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /the run store .*store\.sqlite is a folder, not a file/);
      assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
    }
  });

  it('refuses a corrupt store with a clear message and leaves the file untouched', async () => {
    const dir = await workspace(BASIC, { 'data/train.csv': GOOD_CSV });
    await fs.mkdir(path.join(dir, '.mlops'));
    const store = path.join(dir, '.mlops', 'store.sqlite');
    const garbage = Buffer.from('this is not a database, but somebody may still want it back'.repeat(100));
    writeFileSync(store, garbage);
    const r = mlops(['run', 'p.pipeline.yaml'], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /store\.sqlite.*not a valid SQLite database/);
    assert.deepEqual(readFileSync(store), garbage);
  });

  it('a store damaged in a table one command does not read: every command refuses it alike', async () => {
    const dir = await workspace(BASIC, { 'data/train.csv': GOOD_CSV });
    assert.equal(mlops(['run', 'p.pipeline.yaml'], dir).status, 0);
    const store = path.join(dir, '.mlops', 'store.sqlite');
    const db = openRaw(store);
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    const pageSize = db.value('PRAGMA page_size') as number;
    const runsPage = db.value("SELECT rootpage FROM sqlite_schema WHERE name = 'runs'") as number;
    db.close();
    const bytes = readFileSync(store);
    bytes.fill(0xa5, (runsPage - 1) * pageSize, runsPage * pageSize);
    writeFileSync(store, bytes);
    for (const args of [
      ['runs', 'list'],
      ['runs', 'show', '1'],
      ['models', 'list'],
      ['run', 'p.pipeline.yaml'],
    ]) {
      const r = mlops(args, dir);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /store\.sqlite is not a valid SQLite database \(it may be corrupt\)/, args.join(' '));
    }
    assert.deepEqual(readFileSync(store), bytes, 'nothing written to the damaged store');
  });

  it('shows a run killed with SIGKILL as interrupted on the next start; the store stays intact', async () => {
    const dir = await workspace(BASIC + 'steps:\n  - { name: slow, run: sleep 60, after: ingest }\n', { 'data/train.csv': GOOD_CSV });
    const child = mlopsAsync(['run', 'p.pipeline.yaml'], dir);
    await new Promise<void>((resolve) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        if (/slow started/.test(chunk.toString())) resolve();
      });
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const page = mlopsJson<RunListPage>(['runs', 'list'], dir);
    assert.equal(page.runs[0].status, 'interrupted', 'a reader shows it as the next writer will record it');
    const r = mlops(['run', 'p.pipeline.yaml', '--component', 'ingest'], dir);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /marked run #1 as interrupted/);
    const after = mlopsJson<RunListPage>(['runs', 'list'], dir);
    assert.equal(after.runs.find((x) => x.id === 1)!.status, 'interrupted');
    const check = openRaw(path.join(dir, '.mlops', 'store.sqlite'), { readonly: true });
    assert.equal(check.value('PRAGMA integrity_check'), 'ok');
    check.close();
    // the killed step's shell is in its own process group: make sure nothing is left sleeping
    try {
      execFileSync('pkill', ['-f', 'sleep 60']);
    } catch {
      // none left
    }
  });

  it('marks a run canceled on Ctrl+C and exits 130', async () => {
    const dir = await workspace(BASIC + 'steps:\n  - { name: slow, run: sleep 60, after: ingest }\n', { 'data/train.csv': GOOD_CSV });
    const child = mlopsAsync(['run', 'p.pipeline.yaml'], dir);
    let out = '';
    await new Promise<void>((resolve) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (/slow started/.test(out)) resolve();
      });
    });
    child.kill('SIGINT');
    const code = await new Promise((r) => child.on('exit', r));
    assert.equal(code, 130);
    const page = mlopsJson<RunListPage>(['runs', 'list'], dir);
    assert.equal(page.runs[0].status, 'canceled');
  });
});

describe('bad input in the data checks', () => {
  it('a drift threshold or an environment naming a feature the data lacks', async () => {
    const pipeline = BASIC + 'environments:\n  serving: { exclude: [tipz] }\nvalidate:\n  drift: { fare: { jsd: 0.1 } }\n';
    const dir = await workspace(pipeline, { 'data/train.csv': GOOD_CSV });
    const r = mlops(['run', 'p.pipeline.yaml'], dir);
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(
      r.stdout + r.stderr,
      /p\.pipeline\.yaml:7:\d+: error: environments\.serving\.exclude names 'tipz', which is not a feature of the data[\s\S]*did you mean 'tips'/,
    );
  });

  it('a schema file that is not valid JSON names its line and column, and the run stops', async () => {
    const pipeline = BASIC + 'schema: data-schema.json\nvalidate: {}\n';
    const dir = await workspace(pipeline, {
      'data/train.csv': GOOD_CSV,
      'data-schema.json': '{\n  "version": 1,\n  "features": { "fare": { "type": "float", } \n',
    });
    const r = mlops(['run', 'p.pipeline.yaml'], dir);
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stdout + r.stderr, /data-schema\.json:\d+:\d+: error/);
    assert.ok(readFileSync(path.join(dir, 'data-schema.json'), 'utf8').includes('"fare"'), 'the broken schema is left as it was');
  });

  it('mlops stats says how many malformed rows it skipped, of how many, and --max-bad-rows makes it fail', async () => {
    const dir = await workspace(BASIC, { 'people.csv': 'a,b\n1,2\n3\n4,5\n6,7,8\n9,10\n' });
    const warned = mlops(['stats', 'people.csv'], dir);
    assert.equal(warned.status, 0, warned.stderr);
    assert.match(warned.stdout, /train: 3 examples/);
    assert.match(
      warned.stderr,
      /warning: 2 malformed rows \(wrong number of fields or bad quoting\) skipped, of 5 data rows; --max-bad-rows 0 makes this an error/,
    );
    const failed = mlops(['stats', 'people.csv', '--max-bad-rows', '1'], dir);
    assert.equal(failed.status, 2);
    assert.match(failed.stderr, /people\.csv: error: 2 malformed rows .* more than --max-bad-rows 1/);
    assert.equal(mlops(['stats', 'people.csv', '--max-bad-rows', '2'], dir).status, 0);
  });

  it('too many bad rows: the message names max_bad_rows where it is written, and the whole list outlives the run', async () => {
    const dir = await workspace(BASIC, { 'data/train.csv': 'fare,tips,company\n10,2.5,A\n20\n15,4,C,D\n' });
    const r = mlops(['run', 'p.pipeline.yaml'], dir);
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stdout, /p\.pipeline\.yaml:5:3: error: too many bad rows: at least 2, more than data\.max_bad_rows \(0\)/);
    const listed = /every bad row is listed in (\S+bad_rows\.jsonl)/.exec(r.stdout)?.[1];
    assert.ok(listed && existsSync(listed), `the listed file exists: ${listed}`);
    assert.doesNotMatch(r.stdout, /maxBadRows|\.tmp\//);
  });

  it('anomalies under stop_on: never are a warning, not a tick, and the run goes on', async () => {
    const dir = await workspace(BASIC + 'validate: { stop_on: never }\nsteps:\n  - { name: fit, run: touch trained, after: validate }\n', {
      'data/train.csv': GOOD_CSV,
      'data-schema.json': JSON.stringify({
        version: 1,
        features: { fare: { type: 'float', range: { max: 12 } }, tips: { type: 'float' }, company: { type: 'string' } },
      }),
    });
    const r = mlops(['run', 'p.pipeline.yaml'], dir);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /⚠ validate complete .*\n\s+1 error in the data, not stopping the run \(stop_on: never\)/);
    assert.doesNotMatch(r.stdout, /✓ validate/);
    assert.equal(existsSync(path.join(dir, 'trained')), true);
  });

  it('anomalies at stop_on fail the run with exit code 1 and keep later steps from running', async () => {
    const dir = await workspace(BASIC + 'validate: {}\nsteps:\n  - { name: fit, run: touch trained, after: validate }\n', {
      'data/train.csv': GOOD_CSV,
      'data-schema.json': JSON.stringify({
        version: 1,
        features: { fare: { type: 'float', range: { max: 12 } }, tips: { type: 'float' }, company: { type: 'string' } },
      }),
    });
    const r = mlops(['run', 'p.pipeline.yaml'], dir);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /fare: Out-of-range values/);
    assert.match(r.stdout, /later components do not run/);
    assert.equal(existsSync(path.join(dir, 'trained')), false, 'training did not start on bad data');
    const page = mlopsJson<RunListPage>(['runs', 'list'], dir);
    assert.equal(page.runs[0].status, 'failed');
  });
});

describe('a step that tracks its own training', () => {
  it('lands in the run store: parameters under the step, curves with every point, tags', async () => {
    const script = [
      'import mlops',
      'mlops.log_params({"learning_rate": 0.05})',
      'for epoch in range(4):',
      '    mlops.log_metrics({"loss": 1 / (epoch + 1)}, step=epoch)',
      'mlops.log_metric("loss", float("inf"), step=4)',
      'mlops.set_tag("framework", "python")',
    ].join('\n');
    const dir = await workspace(BASIC + 'steps:\n  - { name: fit, run: python3 fit.py, after: ingest }\n', { 'data/train.csv': GOOD_CSV, 'fit.py': script });
    const r = mlops(['run', 'p.pipeline.yaml'], dir);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /tracking line 6: skipped loss = null/);
    assert.match(r.stdout, /fit complete .*tracked 4 metric points · 1 tracking problem/);
    const details = mlopsJson<RunDetails>(['runs', 'show', '1'], dir);
    assert.equal(details.params['fit.learning_rate'], '0.05');
    assert.equal(details.tags.framework, 'python');
    const loss = details.metrics.find((m) => m.key === 'loss');
    assert.deepEqual([loss?.points, loss?.step, loss?.value], [4, 3, 0.25]);
  });
});
