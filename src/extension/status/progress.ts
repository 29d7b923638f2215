import type { RunEvent } from '../../core/runner/events';

/** What the status bar knows about one running pipeline, folded from its events. */
export interface RunProgress {
  pipeline: string;
  runId?: number;
  components: string[];
  current?: string;
}

export function initialProgress(pipeline: string): RunProgress {
  return { pipeline, components: [] };
}

export function applyEvent(p: RunProgress, e: RunEvent): RunProgress {
  switch (e.type) {
    case 'run-started':
      return { pipeline: e.pipeline, runId: e.runId, components: e.components };
    case 'component-started':
      return { ...p, runId: e.runId, current: e.component };
    default:
      return p;
  }
}

/** `$(sync~spin) chicago-taxi: train (3/5)` */
export function progressText(p: RunProgress): string {
  if (!p.current) return `$(sync~spin) ${p.pipeline}: starting`;
  const i = p.components.indexOf(p.current);
  const position = i >= 0 ? ` (${i + 1}/${p.components.length})` : '';
  return `$(sync~spin) ${p.pipeline}: ${p.current}${position}`;
}
