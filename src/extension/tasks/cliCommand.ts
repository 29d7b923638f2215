/** How the extension starts `mlops run`: pure, so the command line is testable without VS Code. */
export interface CliInvocation {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** The fd the CLI writes its JSON-lines events to (stdio index 3 of the child). */
export const EVENTS_FD = 3;

export function cliRunInvocation(o: {
  /** The extension host's own executable: Node, or Electron which `ELECTRON_RUN_AS_NODE` turns into Node. */
  nodePath: string;
  cliPath: string;
  pipelineFile: string;
  component?: string;
  storePath: string;
  cwd: string;
  baseEnv: NodeJS.ProcessEnv;
}): CliInvocation {
  const args = [o.cliPath, 'run', o.pipelineFile, '--store', o.storePath, '--events-fd', String(EVENTS_FD)];
  if (o.component) args.push('--component', o.component);
  return { command: o.nodePath, args, cwd: o.cwd, env: { ...o.baseEnv, ELECTRON_RUN_AS_NODE: '1' } };
}

/** The command as a user would type it, for the first line in the terminal. */
export function describeInvocation(displayFile: string, component?: string): string {
  return `mlops run ${quote(displayFile)}${component ? ` --component ${quote(component)}` : ''}`;
}

function quote(s: string): string {
  return /^[\w./@:-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
