import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import { CLI, mlops, mlopsJson } from '../helpers/cli';
import { ciPipeline } from '../helpers/ciPipeline';
import { REPO_ROOT, tempDir } from '../helpers/tmp';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'ci');

function schemaErrors(schemaFile: string, yamlFile: string): string {
  // SchemaStore's schemas use formats ajv does not ship (ajv-formats); the structure is what is checked.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile(JSON.parse(readFileSync(path.join(FIXTURES, schemaFile), 'utf8')) as object);
  return validate(parseYaml(readFileSync(yamlFile, 'utf8'))) ? '' : ajv.errorsText(validate.errors);
}

const PIPELINES = {
  push: ciPipeline({ epochs: 1 }),
  evaluateOnly: ciPipeline({ epochs: 1 }).replace(/^push:.*\n/m, ''),
  dataOnly: ciPipeline({ epochs: 1 }).split('transform:')[0],
};

describe('mlops ci init', () => {
  for (const [kind, text] of Object.entries(PIPELINES)) {
    it(`writes a GitHub workflow and a GitLab CI file valid against their schemas (pipeline: ${kind})`, () => {
      const dir = tempDir('mlops-ci-');
      writeFileSync(path.join(dir, 'taxi.pipeline.yaml'), text);
      for (const provider of ['github', 'gitlab']) assert.equal(mlops(['ci', 'init', provider], dir).status, 0);
      const github = path.join(dir, '.github', 'workflows', 'mlops.yml');
      const gitlab = path.join(dir, '.gitlab-ci.yml');
      assert.equal(schemaErrors('github-workflow.schema.json', github), '');
      assert.equal(schemaErrors('gitlab-ci.schema.json', gitlab), '');

      const workflow = readFileSync(github, 'utf8');
      const pr = kind === 'push' ? ' --component evaluate' : '';
      assert.ok(workflow.includes(`mlops run "$MLOPS_PIPELINE"${pr} --json`), workflow);
      assert.ok(readFileSync(gitlab, 'utf8').includes(`mlops run "$MLOPS_PIPELINE"${pr} --json`));
      assert.equal(workflow.includes('mlops push "$(node -e'), kind === 'evaluateOnly');
    });
  }

  it('refuses to overwrite without --force, and says which pipeline file to name', () => {
    const dir = tempDir('mlops-ci-');
    const none = mlops(['ci', 'init', 'github'], dir);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /no pipeline file \(\*\.pipeline\.yaml\) in this folder[\s\S]*--pipeline FILE/);
    writeFileSync(path.join(dir, 'a.pipeline.yaml'), PIPELINES.push);
    writeFileSync(path.join(dir, 'b.pipeline.yaml'), PIPELINES.push);
    const two = mlops(['ci', 'init', 'github'], dir);
    assert.equal(two.status, 2);
    assert.match(two.stderr, /2 pipeline files here \(a\.pipeline\.yaml, b\.pipeline\.yaml\)/);
    assert.equal(mlops(['ci', 'init', 'github', '--pipeline', 'b.pipeline.yaml'], dir).status, 0);
    const again = mlops(['ci', 'init', 'github', '--pipeline', 'b.pipeline.yaml'], dir);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /\.github\/workflows\/mlops\.yml already exists[\s\S]*--force/);
    assert.equal(mlops(['ci', 'init', 'github', '--pipeline', 'a.pipeline.yaml', '--force'], dir).status, 0);
    assert.match(readFileSync(path.join(dir, '.github', 'workflows', 'mlops.yml'), 'utf8'), /MLOPS_PIPELINE: "a\.pipeline\.yaml"/);
    const unknown = mlops(['ci', 'init', 'jenkins'], dir);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown CI provider 'jenkins'[\s\S]*github, gitlab/);
  });
});

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  'continue-on-error'?: string | boolean;
}

/** What the workflow's `${{ }}` expressions read on GitHub, for a pull request #7 of octo/taxi. */
const GITHUB_CONTEXT: Record<string, string> = {
  'github.server_url': 'https://github.example',
  'github.repository': 'octo/taxi',
  'github.run_id': '42',
  'github.token': 'token-for-tests',
  'github.event.pull_request.number': '7',
  'github.event.pull_request.head.repo.fork': 'false',
};

const expand = (value: string) =>
  value.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expr: string) => {
    assert.ok(expr in GITHUB_CONTEXT, `the test knows no value for \${{ ${expr} }}`);
    return GITHUB_CONTEXT[expr];
  });

/**
 * Runs a job's `run:` steps as the runner would (bash -e, the workflow's, job's and step's env, a
 * failed step skipping all but `if: always()` ones) on this machine. `uses:` steps are GitHub's own
 * (checkout, cache, artifacts) and the install step is stood in for by an `mlops` on the PATH.
 * Returns the job's exit code: its first failing step's.
 */
function runJob(
  workflow: { env: Record<string, string>; jobs: Record<string, { env?: Record<string, string>; steps: Step[] }> },
  job: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  /** Gets each step's stderr. */
  errors: string[] = [],
): number {
  let failed = 0;
  for (const step of workflow.jobs[job].steps) {
    if (step.uses) continue;
    assert.ok(step.run, `step ${step.name} has neither run nor uses`);
    assert.doesNotMatch(step.run, /\$\{\{/, `step '${step.name}' puts an expression in its command; it belongs in env`);
    if (step.name === 'Install the mlops CLI') {
      assert.equal(step.run, 'npm install --global "$MLOPS_CLI"');
      continue;
    }
    if (failed && step.if !== 'always()') continue;
    assert.ok(step.if === undefined || step.if === 'always()', `unexpected if: ${step.if}`);
    const stepEnv = Object.fromEntries(Object.entries({ ...workflow.env, ...workflow.jobs[job].env, ...step.env }).map(([k, v]) => [k, expand(String(v))]));
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], { cwd, env: { ...env, ...stepEnv }, encoding: 'utf8' });
    errors.push(r.stderr);
    if (r.status !== 0 && !failed && expand(String(step['continue-on-error'] ?? 'false')) !== 'true') failed = r.status ?? 1;
  }
  return failed;
}

describe('the GitHub workflow, run locally', () => {
  it('gates a pull request on the run, posts the report as a comment and keeps production for the main branch', () => {
    const dir = tempDir('mlops-ci-run-');
    const repo = path.join(dir, 'repo');
    mkdirSync(repo);
    const git = (...args: string[]) =>
      assert.equal(spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: repo }).status, 0);
    const commit = (pipeline: string) => {
      writeFileSync(path.join(repo, 'taxi.pipeline.yaml'), pipeline);
      git('add', '-A');
      git('commit', '-q', '-m', 'pipeline');
    };
    git('init', '-q', '-b', 'main');
    commit(ciPipeline({ epochs: 1 }));
    assert.equal(mlops(['ci', 'init', 'github'], repo).status, 0);
    const workflow = parseYaml(readFileSync(path.join(repo, '.github', 'workflows', 'mlops.yml'), 'utf8'));

    // The installed CLI is this build; `gh` records the comment it is asked to post.
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'mlops'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    writeFileSync(
      path.join(bin, 'gh'),
      '#!/bin/sh\nprintf "%s\\n" "$@" > "$GH_RECORD"\nwhile [ $# -gt 0 ]; do [ "$1" = --body-file ] && cp "$2" "$GH_RECORD.body"; shift; done\n',
    );
    for (const f of ['mlops', 'gh']) chmodSync(path.join(bin, f), 0o755);
    const env = (name: string) => ({
      ...process.env,
      NO_COLOR: '1',
      PATH: `${bin}${path.delimiter}${process.env.PATH}`,
      GITHUB_STEP_SUMMARY: path.join(dir, `${name}.summary.md`),
      GH_RECORD: path.join(dir, `${name}.gh`),
    });
    const production = () => mlopsJson<{ model: { aliases: Record<string, number> } }>(['models', 'show', 'taxi'], repo).model.aliases.production;

    assert.equal(runJob(workflow, 'production', repo, env('main')), 0);
    assert.equal(production(), 1);

    // A pull request that trains longer: blessed, so the job passes; nothing is pushed.
    commit(ciPipeline({ epochs: 3 }));
    assert.equal(runJob(workflow, 'pull-request', repo, env('good')), 0);
    const report = readFileSync(path.join(repo, 'mlops-report', 'report.md'), 'utf8');
    assert.match(report, /^## 🟢 MLOps run #2 · taxi · complete/);
    assert.match(report, /^`taxi\.pipeline\.yaml` · git `[0-9a-f]{12}`$/m);
    assert.match(report, /against taxi@1 \(production\) scored on the same rows/);
    assert.match(report, /\[download them here\]\(https:\/\/github\.example\/octo\/taxi\/actions\/runs\/42\)/);
    assert.equal(readFileSync(path.join(dir, 'good.gh.body'), 'utf8'), report);
    assert.deepEqual(readFileSync(path.join(dir, 'good.gh'), 'utf8').trim().split('\n'), [
      'pr',
      'comment',
      '7',
      '--edit-last',
      '--create-if-none',
      '--body-file',
      'mlops-report/report.md',
    ]);
    assert.equal(readFileSync(path.join(dir, 'good.summary.md'), 'utf8'), report);
    assert.equal(production(), 1);

    // A pull request whose model misses the blessing threshold: reported and commented, then the gate fails the job with 1.
    rmSync(path.join(repo, 'mlops-report'), { recursive: true });
    commit(ciPipeline({ epochs: 3, aucLower: 0.99 }));
    assert.equal(runJob(workflow, 'pull-request', repo, env('bad')), 1);
    const failing = readFileSync(path.join(dir, 'bad.gh.body'), 'utf8');
    assert.match(failing, /^## 🔴 MLOps run #3 · taxi · failed/);
    assert.match(failing, /### Model: ❌ not blessed/);
    assert.match(failing, /- ❌ auc on Overall \(value\): /);
    assert.equal(readFileSync(path.join(repo, 'mlops-report', 'exit-code'), 'utf8').trim(), '1');
    assert.equal(production(), 1);

    // A pull request that breaks the pipeline file: no run starts; the job fails with 2 and says why, no stack trace.
    rmSync(path.join(repo, 'mlops-report'), { recursive: true });
    commit('pipeline: taxi\ndata: [\n');
    const errors: string[] = [];
    assert.equal(runJob(workflow, 'pull-request', repo, env('broken'), errors), 2);
    const log = errors.join('');
    assert.match(log, /taxi\.pipeline\.yaml:\d+/);
    assert.match(log, /mlops run started no run \(its message is above\), so there is none to report on or push/);
    assert.doesNotMatch(log, /\n\s+at /, 'no stack trace');
    assert.equal(production(), 1);
    commit(ciPipeline({ epochs: 3, aucLower: 0.99 }));

    // The GitLab merge request job's script, likewise; without MLOPS_GITLAB_TOKEN it posts no note.
    assert.equal(mlops(['ci', 'init', 'gitlab'], repo).status, 0);
    const gitlab = parseYaml(readFileSync(path.join(repo, '.gitlab-ci.yml'), 'utf8'));
    assert.deepEqual(gitlab.default.before_script, ['npm install --global "$MLOPS_CLI"']);
    const ci = {
      CI_JOB_URL: 'https://gitlab.example/octo/taxi/-/jobs/9',
      CI_API_V4_URL: 'https://gitlab.example/api/v4',
      CI_PROJECT_ID: '3',
      CI_MERGE_REQUEST_IID: '5',
    };
    const gitlabJob = () => {
      let stdout = '';
      for (const entry of gitlab['mlops-merge-request'].script as string[]) {
        const r = spawnSync('bash', ['-eo', 'pipefail', '-c', entry], { cwd: repo, env: { ...env('gitlab'), ...gitlab.variables, ...ci }, encoding: 'utf8' });
        stdout += r.stdout;
        if (r.status !== 0) return { status: r.status, stdout };
      }
      return { status: 0, stdout };
    };
    const gated = gitlabJob();
    assert.equal(gated.status, 1);
    assert.match(gated.stdout, /MLOPS_GITLAB_TOKEN is not set: the report is in the job's artifacts/);
    assert.match(
      readFileSync(path.join(repo, 'mlops-report', 'report.md'), 'utf8'),
      /\[download them here\]\(https:\/\/gitlab\.example\/octo\/taxi\/-\/jobs\/9\/artifacts\/browse\/mlops-report\/\)/,
    );
    commit(ciPipeline({ epochs: 3 }));
    assert.equal(gitlabJob().status, 0);
    assert.equal(production(), 1);
  });
});
