import type { RunDetails } from '../../core/store/types';
import type { RunDetailsView } from '../../shared/runDetails';

/**
 * Store records → the panel's view model. Pure: the extension owns the data shape, the webview
 * only renders. `displayPath` turns absolute locations (artifacts, the pipeline file) into what the
 * user reads.
 */
export function toRunDetailsView(d: RunDetails, displayPath: (uri: string) => string, now: number): RunDetailsView {
  const componentOf = new Map(d.executions.map((e) => [e.id, e.component]));
  const r = d.run;
  return {
    run: {
      id: r.id,
      pipeline: r.pipelineName,
      pipelineFile: displayPath(r.pipelineFile),
      status: r.status,
      component: r.component,
      startedAt: r.startedAt,
      endedAt: r.endedAt,
      error: r.error,
      gitCommit: r.gitCommit,
      gitDirty: r.gitDirty,
      toolVersion: r.toolVersion,
      tfjsBackend: r.tfjsBackend,
      seed: r.seed,
      pipelineHash: r.pipelineHash,
      hostname: r.hostname,
    },
    params: Object.entries(d.params)
      .map(([key, value]) => ({ key, value: String(value) }))
      .sort((a, b) => a.key.localeCompare(b.key)),
    metrics: d.metrics
      .map((m) => ({
        key: m.key,
        value: m.value,
        step: m.step,
        points: m.points,
        component: m.executionId === null ? null : (componentOf.get(m.executionId) ?? null),
      }))
      .sort((a, b) => a.key.localeCompare(b.key)),
    executions: [...d.executions]
      .sort((a, b) => (a.startedAt ?? Infinity) - (b.startedAt ?? Infinity) || a.id - b.id)
      .map((e) => ({
        id: e.id,
        component: e.component,
        type: e.type,
        status: e.status,
        startedAt: e.startedAt,
        endedAt: e.endedAt,
        error: e.error,
      })),
    artifacts: d.artifacts.map((a) => ({
      id: a.id,
      name: a.name,
      type: a.type,
      role: a.role,
      component: componentOf.get(a.executionId) ?? null,
      path: displayPath(a.uri),
      sizeBytes: a.sizeBytes,
      contentHash: a.contentHash,
      state: a.state,
    })),
    tags: Object.entries(d.tags).map(([key, value]) => ({ key, value: String(value) })),
    takenAt: now,
  };
}

/** Equal views need no message: the webview would re-render the same thing. */
export function sameView(a: RunDetailsView | undefined, b: RunDetailsView): boolean {
  if (!a) return false;
  return JSON.stringify({ ...a, takenAt: 0 }) === JSON.stringify({ ...b, takenAt: 0 });
}
