import { ExitCode } from '../core/runner/events';
import { fileSystemProblem } from '../core/util/fileErrors';
import { formatProblem, isUserError } from '../core/util/problems';
import { commandHelp, parseArgs, type CommandSpec } from './args';
import { demoCommand } from './commands/demo';
import { evaluateCommand } from './commands/evaluate';
import { modelsListCommand, modelsShowCommand } from './commands/models';
import { monitorCommand } from './commands/monitor';
import { predictCommand } from './commands/predict';
import { pushCommand, rollbackCommand } from './commands/push';
import { runCommand } from './commands/run';
import { runsDeleteCommand, runsListCommand, runsShowCommand } from './commands/runs';
import { schemaInferCommand } from './commands/schema';
import { serveCommand } from './commands/serve';
import { statsCommand } from './commands/stats';
import { validateCommand } from './commands/validate';
import { validateDataCommand } from './commands/validateData';
import { style } from './style';
import { TOOL_VERSION } from './version';

const COMMANDS: CommandSpec[] = [
  runCommand,
  validateCommand,
  validateDataCommand,
  schemaInferCommand,
  statsCommand,
  runsListCommand,
  runsShowCommand,
  runsDeleteCommand,
  evaluateCommand,
  predictCommand,
  modelsListCommand,
  modelsShowCommand,
  pushCommand,
  rollbackCommand,
  monitorCommand,
  serveCommand,
  demoCommand,
];

const PIPELINE_FILE = /\.pipeline\.(ya?ml|json)$/i;

/** `mlops validate` checks a pipeline file or validates data, told apart by the file named. */
function findCommand(argv: string[]): CommandSpec | undefined {
  if (argv[0] === 'validate') {
    const target = argv.slice(1).find((a) => !a.startsWith('--'));
    return target === undefined || PIPELINE_FILE.test(target) ? validateCommand : validateDataCommand;
  }
  return COMMANDS.find((c) => c.name.includes(' ') && c.name === `${argv[0]} ${argv[1]}`) ?? COMMANDS.find((c) => c.name === argv[0]);
}

function mainHelp(): string {
  return [
    `mlops ${TOOL_VERSION}: run ML pipelines and inspect their runs`,
    '',
    'Usage: mlops <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${(c.name + (c.name === 'validate' ? (c === validateCommand ? ' <pipeline>' : ' <data>') : '')).padEnd(20)}${c.summary}`),
    '',
    "Run 'mlops <command> --help' for a command's options.",
    'Exit codes: 0 ok, 1 a gate failed, 2 an error (bad file, bad data, store problem), 130 canceled.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(mainHelp() + '\n');
    return ExitCode.ok;
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    process.stdout.write(TOOL_VERSION + '\n');
    return ExitCode.ok;
  }
  const command = findCommand(argv);
  if (!command) {
    const group = COMMANDS.filter((c) => c.name.startsWith(argv[0] + ' '));
    const hint = group.length ? `'mlops ${argv[0]}' needs one of: ${group.map((c) => c.name.split(' ')[1]).join(', ')}` : `unknown command '${argv[0]}'`;
    process.stderr.write(`${style.red('error:')} ${hint}\n\n${mainHelp()}\n`);
    return ExitCode.error;
  }
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

if (require.main === module) runCommandLine();
