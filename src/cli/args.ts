import { UserError } from '../core/util/problems';

export interface OptionSpec {
  name: string;
  type: 'boolean' | 'string' | 'number';
  description: string;
  valueName?: string;
  repeatable?: boolean;
}

/** `--NAME`, on or off (`--no-NAME` turns it off). */
export const flag = <const N extends string>(name: N, description: string) => ({ name, type: 'boolean', description }) as const;

/** `--NAME VALUE`; the help text calls the value `valueName`. */
export const option = <const N extends string>(name: N, valueName: string, description: string) => ({ name, type: 'string', valueName, description }) as const;

/** `--NAME VALUE`, given as many times as needed: the command gets every value. */
export const repeatable = <const N extends string>(name: N, valueName: string, description: string) =>
  ({ name, type: 'string', valueName, repeatable: true, description }) as const;

/** `--NAME N`: a number (anything else is a usage error). */
export const numberOption = <const N extends string>(name: N, valueName: string, description: string) =>
  ({ name, type: 'number', valueName, description }) as const;

export interface ArgumentSpec {
  name: string;
  description: string;
  optional?: boolean;
}

/** What an option's spec gives a command: a boolean, a number, a string, or every value of a repeated one. */
type OptionValue<O extends OptionSpec> = O['type'] extends 'boolean'
  ? boolean
  : O['repeatable'] extends true
    ? string[]
    : O['type'] extends 'number'
      ? number
      : string;

/** The options a command's specs declare, typed, plus the global ones; absent when not given. */
export type OptionsOf<Os extends readonly OptionSpec[]> = { [O in Os[number] as O['name']]?: OptionValue<O> } & { store?: string; help?: boolean };

export interface ParsedArgs<Os extends readonly OptionSpec[] = readonly OptionSpec[], As extends readonly ArgumentSpec[] = readonly ArgumentSpec[]> {
  /** A required argument is always there (parsing fails without it); an optional one may not be. */
  positionals: { [A in As[number] as A['name']]: A['optional'] extends true ? string | undefined : string };
  options: OptionsOf<Os>;
}

export interface CommandSpec<Os extends readonly OptionSpec[] = readonly OptionSpec[], As extends readonly ArgumentSpec[] = readonly ArgumentSpec[]> {
  /** One or two words, e.g. `run`, `runs list`. */
  name: string;
  summary: string;
  arguments: As;
  options: Os;
  /** Lines shown under "Examples" in --help. */
  examples?: string[];
  run(args: ParsedArgs<Os, As>): Promise<number>;
}

export function isCommandSpec(v: unknown): v is CommandSpec {
  const c = v as CommandSpec | null;
  return typeof c === 'object' && c !== null && typeof c.name === 'string' && typeof c.run === 'function';
}

/** A command whose `run` gets its own options and arguments typed from the specs it declares. */
export function defineCommand<const Os extends readonly OptionSpec[], const As extends readonly ArgumentSpec[]>(spec: CommandSpec<Os, As>): CommandSpec {
  return spec;
}

export const GLOBAL_OPTIONS: OptionSpec[] = [
  option('store', 'PATH', 'run store file (default: $MLOPS_STORE, else .mlops/store.sqlite in the current folder)'),
  flag('help', 'show help for the command'),
];

/**
 * Strict parsing: an unknown option or a missing argument is a user error that says what was
 * expected. Each value is of its spec's type, which is what `defineCommand` promises the command.
 * (node:util's parseArgs reads `--no-baseline` as `baseline: false`, though `--baseline` takes a
 * model and `--no-baseline` is an option of its own: hence this small parser.)
 */
export function parseArgs(spec: CommandSpec, argv: string[]): ParsedArgs {
  const options: Record<string, string | number | boolean | string[]> = {};
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
  // --help is answered before the command runs: it never reads the arguments.
  if (options.help) return { positionals: {}, options: options as ParsedArgs['options'] };
  const positionals: Record<string, string | undefined> = {};
  spec.arguments.forEach((a, i) => {
    if (words[i] === undefined && !a.optional) throw usageError(spec, `missing <${a.name}>: ${a.description}`);
    positionals[a.name] = words[i];
  });
  if (words.length > spec.arguments.length) throw usageError(spec, `unexpected argument '${words[spec.arguments.length]}'`);
  return { positionals: positionals as ParsedArgs['positionals'], options: options as ParsedArgs['options'] };
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
