import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { glob } from 'tinyglobby';
import { loadPipeline } from '../../core/pipeline/load';
import { UserError } from '../../core/util/problems';
import { defineCommand, flag, option } from '../args';
import { githubWorkflow, GITHUB_WORKFLOW_FILE } from '../ci/github';
import { gitlabCi, GITLAB_CI_FILE } from '../ci/gitlab';
import { ciPlan } from '../ci/plan';
import { print, style } from '../style';
import { TOOL_VERSION } from '../version';

const PROVIDERS = {
  github: { file: GITHUB_WORKFLOW_FILE, write: githubWorkflow },
  gitlab: { file: GITLAB_CI_FILE, write: gitlabCi },
} as const;

export const ciInitCommand = defineCommand({
  name: 'ci init',
  summary:
    'Write a CI file (GitHub Actions or GitLab CI) that runs the pipeline on pull requests, posts `mlops report`, gates on the exit code and pushes from the main branch.',
  arguments: [
    { name: 'provider', description: 'github (.github/workflows/mlops.yml) or gitlab (.gitlab-ci.yml), written in the current folder: the repository root' },
  ],
  options: [
    option('pipeline', 'FILE', 'the pipeline file to run (default: the one *.pipeline.yaml|yml|json here)'),
    option('branch', 'NAME', 'GitHub: the branch whose runs push to production (default main); GitLab uses the default branch'),
    option('cli', 'SPEC', `the npm spec CI installs the CLI from (default mlops-pipelines@${TOOL_VERSION})`),
    flag('force', 'overwrite the file if it exists'),
  ],
  examples: ['mlops ci init github', 'mlops ci init gitlab --pipeline pipelines/taxi.pipeline.yaml', 'mlops ci init github --force --branch trunk'],
  async run({ positionals, options }) {
    const provider = PROVIDERS[positionals.provider as keyof typeof PROVIDERS];
    if (!provider) throw UserError.at(`unknown CI provider '${positionals.provider}'`, undefined, `use one of: ${Object.keys(PROVIDERS).join(', ')}`);
    const target = path.resolve(provider.file);
    if (existsSync(target) && !options.force)
      throw UserError.at(`${provider.file} already exists`, { file: target }, 'pass --force to replace it (your edits to it are lost)');
    const pipeline = options.pipeline ?? (await onlyPipelineFile());
    const relative = path.relative(process.cwd(), path.resolve(pipeline)).split(path.sep).join('/');
    if (relative.startsWith('../') || path.isAbsolute(relative))
      throw UserError.at(`${pipeline} is outside this folder`, undefined, 'run `mlops ci init` at the root of the repository that holds the pipeline');
    const config = await loadPipeline(path.resolve(pipeline));
    const plan = ciPlan(config, { pipeline: relative, cli: options.cli ?? `mlops-pipelines@${TOOL_VERSION}`, branch: options.branch ?? 'main' });
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, provider.write(plan));
    print(`wrote ${provider.file} for ${relative}`);
    if (plan.pullRequestComponent) print(style.dim(`pull requests run up to ${plan.pullRequestComponent}; pushing to production is the main branch's job`));
    return 0;
  },
});

async function onlyPipelineFile(): Promise<string> {
  const found = (await glob('**/*.pipeline.{yaml,yml,json}', { ignore: ['**/node_modules/**', '**/.mlops/**'] })).sort();
  if (found.length === 1) return found[0];
  throw UserError.at(
    found.length
      ? `${found.length} pipeline files here (${found.slice(0, 5).join(', ')}${found.length > 5 ? ', …' : ''})`
      : 'no pipeline file (*.pipeline.yaml) in this folder',
    undefined,
    'name one with --pipeline FILE',
  );
}
