import type { RunEvent } from '../../core/runner/events';

/** What the status bar knows about one running pipeline, folded from its events. */
export interface RunProgress {
  pipeline: string;
  runId?: number;
  components: string[];
  current?: string;
  /** How far the current component is, when it says (0..1). */
  fraction?: number;
}

export function initialProgress(pipeline: string): RunProgress {
  return { pipeline, components: [] };
}

export function applyEvent(p: RunProgress, e: RunEvent): RunProgress {
  switch (e.type) {
    case 'run-started':
      return { pipeline: e.pipeline, runId: e.runId, components: e.components };
    case 'component-started':
      return { ...p, runId: e.runId, current: e.component, fraction: undefined };
    case 'component-progress':
      return e.component === p.current && e.fraction !== undefined ? { ...p, fraction: e.fraction } : p;
    default:
      return p;
  }
}

/** `$(sync~spin) chicago-taxi: train (3/5) 40%`: the component and how far it is, nothing else. */
export function progressText(p: RunProgress): string {
  if (!p.current) return `$(sync~spin) ${p.pipeline}: starting`;
  const i = p.components.indexOf(p.current);
  const position = i >= 0 ? ` (${i + 1}/${p.components.length})` : '';
  const done = p.fraction !== undefined ? ` ${Math.floor(Math.min(1, Math.max(0, p.fraction)) * 100)}%` : '';
  return `$(sync~spin) ${p.pipeline}: ${p.current}${position}${done}`;
}
