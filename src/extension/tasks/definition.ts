import type * as vscode from 'vscode';

export const TASK_TYPE = 'mlops';
/** `Tasks: Run Task` shows tasks as `<source>: <name>`. */
export const TASK_SOURCE = 'mlops';

/** The `mlops` task type as contributed in package.json (`taskDefinitions`). */
export interface MlopsTaskDefinition extends vscode.TaskDefinition {
  type: typeof TASK_TYPE;
  /** Pipeline file, relative to the task's workspace folder. */
  pipeline: string;
  /** Run only this component (and what it needs). */
  component?: string;
  /** Reproduce this recorded run of the pipeline (`mlops reproduce`) instead of running the file as it is. */
  reproduce?: number;
  /** With `reproduce`: go on although what the run had differs from now. */
  force?: boolean;
  /** With `reproduce`: compare the new model's content hash with the original's. */
  verify?: boolean;
}

export function isMlopsTaskDefinition(d: vscode.TaskDefinition | undefined): d is MlopsTaskDefinition {
  return (
    d?.type === TASK_TYPE &&
    typeof d.pipeline === 'string' &&
    d.pipeline.length > 0 &&
    (d.component === undefined || (typeof d.component === 'string' && d.component.length > 0)) &&
    (d.reproduce === undefined || (Number.isInteger(d.reproduce) && d.reproduce > 0)) &&
    (d.force === undefined || typeof d.force === 'boolean') &&
    (d.verify === undefined || typeof d.verify === 'boolean')
  );
}

/** `chicago-taxi: run pipeline`, `chicago-taxi: ingest`, `chicago-taxi: reproduce run #12`. */
export function taskName(pipelineName: string, component?: string, reproduce?: number): string {
  return `${pipelineName}: ${reproduce !== undefined ? `reproduce run #${reproduce}` : (component ?? 'run pipeline')}`;
}

export function sameTask(a: vscode.TaskDefinition, b: vscode.TaskDefinition): boolean {
  return (
    a.type === b.type &&
    a.pipeline === b.pipeline &&
    (a.component ?? undefined) === (b.component ?? undefined) &&
    (a.reproduce ?? undefined) === (b.reproduce ?? undefined)
  );
}
