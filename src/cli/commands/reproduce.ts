import * as path from 'node:path';
import { ExitCode } from '../../core/runner/events';
import type { Difference } from '../../core/reproduce/differences';
import { planReproduction, type ReproductionPlan } from '../../core/reproduce/plan';
import { useStoredScripts } from '../../core/reproduce/storedScripts';
import { compareModels, runModels, type ModelComparison } from '../../core/reproduce/verify';
import type { RunOutcome } from '../../core/runner/runner';
import type { RunStore } from '../../core/store';
import { shortHash } from '../../core/util/format';
import { UserError } from '../../core/util/problems';
import { defineCommand, flag, numberOption } from '../args';
import { outcomeJson, runFromCli } from '../pipelineRun';
import { openStoreForWriting } from '../storePath';
import { style } from '../style';
import { TOOL_VERSION } from '../version';

export const reproduceCommand = defineCommand({
  name: 'reproduce',
  summary:
    'Re-run a recorded run from what the store knows: its stored pipeline file and scripts, seed and backend, nothing reused from the cache, nothing pushed. Refuses when the data, the commit, the backend or mlops differ, unless --force.',
  arguments: [{ name: 'run-id', description: 'the run to reproduce (`mlops runs list`)' }],
  options: [
    flag('force', 'reproduce even when what the run had differs from now (the differences are listed)'),
    flag('verify', "compare the new model's content hash with the original's: exit 1 when they differ"),
    flag('dry-run', 'list the differences and stop (exit 2 when they would stop a reproduction)'),
    flag('json', 'print the outcome as JSON on stdout (progress goes to stderr)'),
    numberOption('events-fd', 'FD', 'also write progress events as JSON lines to this file descriptor'),
  ],
  examples: ['mlops reproduce 12', 'mlops reproduce 12 --verify', 'mlops reproduce 12 --dry-run --json', 'mlops reproduce 12 --force --verify'],
  async run({ positionals, options }) {
    const json = Boolean(options.json);
    const out = (line: string) => (json ? process.stderr : process.stdout).write(line + '\n');
    const id = runId(positionals['run-id']);
    const { store, storePath, recovered } = openStoreForWriting(options.store);
    try {
      const plan = await planReproduction(store, id, { toolVersion: TOOL_VERSION, nodeVersion: process.versions.node });
      const verifiable = runModels(store.getRunDetails(id)!).size > 0;
      if (options.verify && !verifiable) {
        throw UserError.at(
          `run #${id} made no model: --verify compares the reproduction's model with the original's`,
          undefined,
          'reproduce it without --verify',
        );
      }
      const blocking = plan.differences.some((d) => d.blocking);
      const report = { run: id, differences: plan.differences, verifiable };
      if (options['dry-run'] || (blocking && !options.force)) {
        if (json) process.stdout.write(JSON.stringify({ ...report, reproduced: false, outcome: null, verify: null }, null, 2) + '\n');
        else if (options['dry-run']) {
          print(out, plan, `Run #${id} of ${plan.run.pipelineName}`);
          out(blocking ? `mlops reproduce ${id} would refuse; --force runs it anyway` : `mlops reproduce ${id} would run it as it ran`);
        } else printRefusal(plan);
        return blocking ? ExitCode.error : ExitCode.ok;
      }
      print(out, plan, `Reproducing run #${id} of ${plan.run.pipelineName}`);
      const outcome = await reproduce(plan, { store, storePath, out, eventsFd: options['events-fd'], recovered });
      const verify = options.verify ? compareModels(store.getRunDetails(id)!, store.getRunDetails(outcome.runId)!) : null;
      if (json) process.stdout.write(JSON.stringify({ ...report, reproduced: true, outcome: outcomeJson(outcome, storePath), verify }, null, 2) + '\n');
      else {
        out(style.dim(`run #${outcome.runId} reproduces run #${id} · details: mlops runs show ${outcome.runId}`));
        if (verify) printVerify(out, verify);
      }
      if (outcome.exitCode !== ExitCode.ok) return outcome.exitCode;
      return verify?.some((m) => !m.equal) ? ExitCode.gateFailed : ExitCode.ok;
    } finally {
      store.close();
    }
  },
});

async function reproduce(
  plan: ReproductionPlan,
  o: { store: RunStore; storePath: string; out: (line: string) => void; eventsFd?: number; recovered: number[] },
): Promise<RunOutcome> {
  const scripts = await useStoredScripts(plan.config, plan.editedScripts);
  try {
    return await runFromCli({
      ...o,
      config: scripts.config,
      component: plan.run.component ?? undefined,
      // A run from before stored files has none: the reproduction stores what it runs, as any run does.
      reproduction: { of: plan.run.id, files: plan.files.length ? plan.files : undefined },
    });
  } finally {
    await scripts.remove();
  }
}

function runId(text: string): number {
  const id = Number(text.replace(/^#/, ''));
  if (!Number.isInteger(id) || id <= 0) throw UserError.at(`'${text}' is not a run id`, undefined, 'run ids are the numbers `mlops runs list` shows');
  return id;
}

function line(d: Difference): string {
  return d.blocking ? `  ${style.red('✗')} ${d.message}` : `  ${style.dim('·')} ${d.message}`;
}

function print(out: (line: string) => void, plan: ReproductionPlan, title: string): void {
  const { run, config } = plan;
  const backend = config.train && run.tfjsBackend ? ` · tfjs ${config.train.backend === 'node' ? 'tensorflow' : config.train.backend}` : '';
  out(style.bold(title) + style.dim(` · ${relative(run.pipelineFile)} as it ran · seed ${config.seed}${backend}`));
  if (!plan.differences.length) out(style.dim('  the data, code and settings are as the run had them'));
  for (const d of plan.differences) out(line(d));
}

function printRefusal(plan: ReproductionPlan): void {
  const blocking = plan.differences.filter((d) => d.blocking).length;
  const lines = [
    style.red(`error: run #${plan.run.id} cannot be reproduced as it ran: ${blocking} difference${blocking === 1 ? '' : 's'}`),
    ...plan.differences.map(line),
    `hint: restore what differs, or run it anyway with the data and code as they are now: mlops reproduce ${plan.run.id} --force`,
  ];
  process.stderr.write(lines.join('\n') + '\n');
}

function printVerify(out: (line: string) => void, models: ModelComparison[]): void {
  for (const m of models) {
    const what = `model ${m.component}.${m.name}`;
    if (m.equal) out(style.green(`✓ ${what}: equal to the original's (${shortHash(m.original)})`));
    else if (m.reproduction === null) out(style.red(`✗ ${what}: the reproduction made none (the original's is ${shortHash(m.original)})`));
    else {
      const weights =
        m.originalWeights && m.reproductionWeights
          ? m.originalWeights === m.reproductionWeights
            ? '; the weights are equal, another file of the package differs'
            : '; the weights differ'
          : '';
      out(style.red(`✗ ${what}: different: original ${shortHash(m.original)}, reproduction ${shortHash(m.reproduction)}${weights}`));
    }
  }
}

function relative(file: string): string {
  return path.relative(process.cwd(), file) || file;
}
