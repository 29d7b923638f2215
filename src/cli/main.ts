import { isPipelineFile } from '../core/pipeline/fileName';
import { ExitCode } from '../core/runner/events';
import { fileSystemProblem } from '../core/util/fileErrors';
import { formatProblem, isUserError } from '../core/util/problems';
import { isStatisticsWorkerThread } from '../core/stats/workerThread';
import { isTrialWorkerProcess } from '../core/tune/worker';
import { commandHelp, isCommandSpec, parseArgs, type CommandSpec } from './args';
import { style } from './style';
import { TOOL_VERSION } from './version';

/**
 * Every command by name, and the module that defines it, loaded only when the command runs (or when
 * the help lists them all): `mlops --version` and `mlops runs list` start without the engine's heavy
 * modules (tfjs, the server, the schema validators), which esbuild then initialises lazily.
 */
const COMMANDS: [name: string, load: () => Promise<object>][] = [
  ['run', () => import('./commands/run.js')],
  ['validate', () => import('./commands/validate.js')],
  ['validate', () => import('./commands/validateData.js')],
  ['schema infer', () => import('./commands/schema.js')],
  ['stats', () => import('./commands/stats.js')],
  ['runs list', () => import('./commands/runs.js')],
  ['runs show', () => import('./commands/runs.js')],
  ['runs delete', () => import('./commands/runs.js')],
  ['reproduce', () => import('./commands/reproduce.js')],
  ['evaluate', () => import('./commands/evaluate.js')],
  ['predict', () => import('./commands/predict.js')],
  ['models list', () => import('./commands/models.js')],
  ['models show', () => import('./commands/models.js')],
  ['push', () => import('./commands/push.js')],
  ['rollback', () => import('./commands/push.js')],
  ['monitor', () => import('./commands/monitor.js')],
  ['watch', () => import('./commands/watch.js')],
  ['report', () => import('./commands/report.js')],
  ['ci init', () => import('./commands/ci.js')],
  ['serve', () => import('./commands/serve.js')],
  ['lineage', () => import('./commands/lineage.js')],
  ['track', () => import('./commands/track.js')],
  ['python-path', () => import('./commands/pythonPath.js')],
  ['demo', () => import('./commands/demo.js')],
];

/** The command a module exports under `name`. */
export async function loadCommand([name, load]: (typeof COMMANDS)[number]): Promise<CommandSpec> {
  const spec = Object.values(await load()).find((v): v is CommandSpec => isCommandSpec(v) && v.name === name);
  if (!spec) throw new Error(`no command '${name}' in its module`);
  return spec;
}

/** Every command, in the help's order. */
export function allCommands(): Promise<CommandSpec[]> {
  return Promise.all(COMMANDS.map(loadCommand));
}

/** `mlops validate` checks a pipeline file or validates data, told apart by the file named. */
function findCommand(argv: string[]): (typeof COMMANDS)[number] | undefined {
  const validate = COMMANDS.filter(([name]) => name === 'validate');
  if (argv[0] === 'validate') {
    const target = argv.slice(1).find((a) => !a.startsWith('--'));
    return target === undefined || isPipelineFile(target) ? validate[0] : validate[1];
  }
  return COMMANDS.find(([name]) => name.includes(' ') && name === `${argv[0]} ${argv[1]}`) ?? COMMANDS.find(([name]) => name === argv[0]);
}

async function mainHelp(): Promise<string> {
  const commands = await allCommands();
  return [
    `mlops ${TOOL_VERSION}: run ML pipelines and inspect their runs`,
    '',
    'Usage: mlops <command> [options]',
    '',
    'Commands:',
    // The two `validate` commands are told apart by their argument.
    ...commands.map((c) => `  ${(c.name === 'validate' ? `validate <${c.arguments[0].name}>` : c.name).padEnd(20)}${c.summary}`),
    '',
    "Run 'mlops <command> --help' for a command's options.",
    'Exit codes: 0 ok, 1 a gate failed, 2 an error (bad file, bad data, store problem), 130 canceled.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write((await mainHelp()) + '\n');
    return ExitCode.ok;
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    process.stdout.write(TOOL_VERSION + '\n');
    return ExitCode.ok;
  }
  const found = findCommand(argv);
  if (!found) {
    const group = COMMANDS.filter(([name]) => name.startsWith(argv[0] + ' '));
    const hint = group.length ? `'mlops ${argv[0]}' needs one of: ${group.map(([name]) => name.split(' ')[1]).join(', ')}` : `unknown command '${argv[0]}'`;
    process.stderr.write(`${style.red('error:')} ${hint}\n\n${await mainHelp()}\n`);
    return ExitCode.error;
  }
  const command = await loadCommand(found);
  try {
    const args = parseArgs(command, argv.slice(command.name.split(' ').length));
    if (args.options.help) {
      process.stdout.write(commandHelp(command) + '\n');
      return ExitCode.ok;
    }
    return await command.run(args);
  } catch (caught) {
    const e = fileSystemProblem(caught) ?? caught;
    if (isUserError(e)) {
      process.stderr.write(e.problems.map((p) => style.red(formatProblem(p))).join('\n') + '\n');
      return ExitCode.error;
    }
    process.stderr.write(
      `${style.red('internal error')} (a bug in mlops ${TOOL_VERSION}; please report it with this output):\n${(e as Error)?.stack ?? String(e)}\n`,
    );
    return ExitCode.error;
  }
}

/** Runs this process's command line and sets its exit code (dist/cli.js calls it; so does `node main.js`). */
export function runCommandLine(): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(String(e?.stack ?? e) + '\n');
      process.exitCode = ExitCode.error;
    },
  );
}

// The statistics threads and the tuning trial processes load this bundle by its file name. The module
// that serves them starts itself when loaded; commands load lazily, so here is where it is loaded.
if (isStatisticsWorkerThread()) void import('../core/stats/workers.js');
else if (isTrialWorkerProcess()) void import('../core/tune/trainWorker.js');
else if (require.main === module) runCommandLine();
