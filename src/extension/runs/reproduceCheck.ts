import type { Difference } from '../../core/reproduce/differences';
import type { CliInvocation } from '../tasks/cliCommand';

/**
 * Reproduce Run asks the CLI first (`mlops reproduce <run> --dry-run --json`, in a child process)
 * what differs since the run, and shows a refusal as a modal the user can override. No `vscode`
 * import: the tests use these directly.
 */

export const REPRODUCE_ANYWAY = 'Reproduce Anyway';

/** What `mlops reproduce --dry-run --json` prints. */
export interface ReproduceCheck {
  run: number;
  differences: Difference[];
  /** The run made a model, so the reproduction can compare its own with it. */
  verifiable: boolean;
}

export function reproduceCheckInvocation(o: {
  nodePath: string;
  cliPath: string;
  storePath: string;
  cwd: string;
  baseEnv: NodeJS.ProcessEnv;
  runId: number;
}): CliInvocation {
  return {
    command: o.nodePath,
    args: [o.cliPath, 'reproduce', String(o.runId), '--dry-run', '--json', '--store', o.storePath],
    cwd: o.cwd,
    env: { ...o.baseEnv, ELECTRON_RUN_AS_NODE: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
  };
}

/** The check's answer, or undefined when the CLI printed something else (it refused to check: its stderr says why). */
export function parseReproduceCheck(stdout: string): ReproduceCheck | undefined {
  try {
    const value = JSON.parse(stdout) as Partial<ReproduceCheck>;
    if (typeof value.run !== 'number' || !Array.isArray(value.differences) || typeof value.verifiable !== 'boolean') return undefined;
    return { run: value.run, differences: value.differences, verifiable: value.verifiable };
  } catch {
    return undefined;
  }
}

/** The modal shown when the check found blocking differences: what differs, blocking ones marked. */
export function reproduceConfirmation(check: ReproduceCheck): { message: string; detail: string } {
  const blocking = check.differences.filter((d) => d.blocking).length;
  return {
    message: `Run #${check.run} cannot be reproduced as it ran: ${blocking} difference${blocking === 1 ? '' : 's'}.`,
    detail: [
      ...check.differences.map((d) => `${d.blocking ? '✗' : '·'} ${d.message}`),
      '',
      `${REPRODUCE_ANYWAY} runs it with the data and code as they are now${check.verifiable ? ", and compares its model with the original's" : ''}.`,
    ].join('\n'),
  };
}
