/** How the extension starts `mlops run`: pure, so the command line is testable without VS Code. */
export interface CliInvocation {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** The fd the CLI writes its JSON-lines events to (stdio index 3 of the child). */
export const EVENTS_FD = 3;

/** `mlops reproduce <run>` and its flags. */
export interface Reproduction {
  runId: number;
  force: boolean;
  verify: boolean;
}

export function cliRunInvocation(o: {
  /** The extension host's own executable: Node, or Electron which `ELECTRON_RUN_AS_NODE` turns into Node. */
  nodePath: string;
  cliPath: string;
  pipelineFile: string;
  component?: string;
  /** Reproduce this recorded run instead of running the pipeline file. */
  reproduce?: Reproduction;
  storePath: string;
  cwd: string;
  baseEnv: NodeJS.ProcessEnv;
}): CliInvocation {
  const [name, subject, ...flags] = o.reproduce ? reproduceArgs(o.reproduce) : ['run', o.pipelineFile, ...(o.component ? ['--component', o.component] : [])];
  const args = [o.cliPath, name, subject, '--store', o.storePath, '--events-fd', String(EVENTS_FD), ...flags];
  return { command: o.nodePath, args, cwd: o.cwd, env: { ...o.baseEnv, ELECTRON_RUN_AS_NODE: '1' } };
}

/** The command as a user would type it, for the first line in the terminal. */
export function describeInvocation(displayFile: string, component?: string, reproduce?: Reproduction): string {
  if (reproduce) return `mlops ${reproduceArgs(reproduce).join(' ')}`;
  return `mlops run ${quote(displayFile)}${component ? ` --component ${quote(component)}` : ''}`;
}

function reproduceArgs(r: Reproduction): string[] {
  return ['reproduce', String(r.runId), ...(r.force ? ['--force'] : []), ...(r.verify ? ['--verify'] : [])];
}

function quote(s: string): string {
  return /^[\w./@:-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
