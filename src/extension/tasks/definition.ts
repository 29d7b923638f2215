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
}

export function isMlopsTaskDefinition(d: vscode.TaskDefinition | undefined): d is MlopsTaskDefinition {
  return (
    d?.type === TASK_TYPE &&
    typeof d.pipeline === 'string' &&
    d.pipeline.length > 0 &&
    (d.component === undefined || (typeof d.component === 'string' && d.component.length > 0))
  );
}

/** `chicago-taxi: run pipeline`, `chicago-taxi: ingest`. */
export function taskName(pipelineName: string, component?: string): string {
  return `${pipelineName}: ${component ?? 'run pipeline'}`;
}

export function sameTask(a: vscode.TaskDefinition, b: vscode.TaskDefinition): boolean {
  return a.type === b.type && a.pipeline === b.pipeline && (a.component ?? undefined) === (b.component ?? undefined);
}
