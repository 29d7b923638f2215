import { UserError } from '../core/util/problems';

export interface OptionSpec {
  name: string;
  type: 'boolean' | 'string' | 'number';
  description: string;
  valueName?: string;
  repeatable?: boolean;
}

export interface ArgumentSpec {
  name: string;
  description: string;
  optional?: boolean;
}

export interface ParsedArgs {
  positionals: Record<string, string | undefined>;
  options: Record<string, string | number | boolean | string[] | undefined>;
}

export interface CommandSpec {
  /** One or two words, e.g. `run`, `runs list`. */
  name: string;
  summary: string;
  arguments: ArgumentSpec[];
  options: OptionSpec[];
  /** Lines shown under "Examples" in --help. */
  examples?: string[];
  run(args: ParsedArgs): Promise<number>;
}

export const GLOBAL_OPTIONS: OptionSpec[] = [
  { name: 'store', type: 'string', valueName: 'PATH', description: 'run store file (default: $MLOPS_STORE, else .mlops/store.sqlite in the current folder)' },
  { name: 'help', type: 'boolean', description: 'show help for the command' },
];

/** Strict parsing: an unknown option or a missing argument is a user error that says what was expected. */
export function parseArgs(spec: CommandSpec, argv: string[]): ParsedArgs {
  const options: ParsedArgs['options'] = {};
  const words: string[] = [];
  const all = [...spec.options, ...GLOBAL_OPTIONS];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--') || arg === '--') {
      words.push(arg);
      continue;
    }
    const [rawName, inline] = arg.slice(2).split(/=(.*)/s, 2);
    const negated = rawName.startsWith('no-') && all.find((o) => o.name === rawName.slice(3) && o.type === 'boolean');
    const option = negated || all.find((o) => o.name === rawName);
    if (!option) throw usageError(spec, `unknown option --${rawName}`);
    if (option.type === 'boolean') {
      options[option.name] = !negated;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw usageError(spec, `--${option.name} needs a value (${option.valueName ?? option.type})`);
    const parsed = option.type === 'number' ? Number(value) : value;
    if (option.type === 'number' && !Number.isFinite(parsed)) throw usageError(spec, `--${option.name} expects a number, got '${value}'`);
    if (option.repeatable) options[option.name] = [...((options[option.name] as string[]) ?? []), String(parsed)];
    else options[option.name] = parsed;
  }
  if (options.help) return { positionals: {}, options };
  const positionals: ParsedArgs['positionals'] = {};
  spec.arguments.forEach((a, i) => {
    if (words[i] === undefined && !a.optional) throw usageError(spec, `missing <${a.name}>: ${a.description}`);
    positionals[a.name] = words[i];
  });
  if (words.length > spec.arguments.length) throw usageError(spec, `unexpected argument '${words[spec.arguments.length]}'`);
  return { positionals, options };
}

function usageError(spec: CommandSpec, message: string): UserError {
  return new UserError({ severity: 'error', message: `mlops ${spec.name}: ${message}`, hint: `see 'mlops ${spec.name} --help'` });
}

export function commandHelp(spec: CommandSpec): string {
  const args = spec.arguments.map((a) => (a.optional ? `[${a.name}]` : `<${a.name}>`)).join(' ');
  const lines = [`Usage: mlops ${spec.name}${args ? ' ' + args : ''} [options]`, '', spec.summary, ''];
  if (spec.arguments.length) {
    lines.push('Arguments:');
    for (const a of spec.arguments) lines.push(`  ${a.name.padEnd(24)}${a.description}`);
    lines.push('');
  }
  lines.push('Options:');
  for (const o of [...spec.options, ...GLOBAL_OPTIONS]) {
    const flag = `--${o.name}${o.type === 'boolean' ? '' : ` ${o.valueName ?? o.type.toUpperCase()}`}`;
    lines.push(`  ${flag.padEnd(24)}${o.description}`);
  }
  if (spec.examples?.length) lines.push('', 'Examples:', ...spec.examples.map((e) => `  ${e}`));
  return lines.join('\n');
}
