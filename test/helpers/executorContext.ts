import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { PipelineConfig } from '../../src/core/pipeline/config';
import type { ComponentInfo } from '../../src/core/pipeline/components';
import type { ExecutorContext, ExecutorRegistry, ResolvedArtifact } from '../../src/core/runner/executor';
import type { MetricPoint } from '../../src/core/store/types';
import { tempDir } from './tmp';

/** What an executor reported through its context, for assertions. */
export interface Recorded {
  lines: string[];
  metrics: { runId?: number; point: MetricPoint }[];
  params: Record<string, string>;
  tags: Record<string, string>;
  backend?: string;
  childRuns: { id: number; params: Record<string, string>; status?: string; error?: string }[];
}

/**
 * An ExecutorContext for calling one executor directly, without a runner or a store: outputs go to
 * a temporary folder, tracking is recorded in memory.
 */
export function executorContext(
  config: PipelineConfig,
  component: Pick<ComponentInfo, 'name' | 'type'>,
  options: { inputs?: Map<string, ResolvedArtifact[]>; signal?: AbortSignal; resume?: boolean; root?: string; registry?: ExecutorRegistry } = {},
): { context: ExecutorContext; recorded: Recorded } {
  const root = options.root ?? tempDir();
  const recorded: Recorded = { lines: [], metrics: [], params: {}, tags: {}, childRuns: [] };
  const context: ExecutorContext = {
    config,
    component: { dependsOn: [], location: { file: config.file ?? '' }, ...component },
    runId: 1,
    executionId: 1,
    inputs: options.inputs ?? new Map(),
    outputDir: async (name) => {
      const dir = path.join(root, 'out', name);
      await fs.mkdir(dir, { recursive: true });
      return dir;
    },
    checkpointDir: async () => {
      const dir = path.join(root, 'checkpoints', component.name);
      await fs.mkdir(dir, { recursive: true });
      return dir;
    },
    resume: options.resume ?? false,
    tracking: {
      logMetrics: (points, runId) => recorded.metrics.push(...points.map((point) => ({ runId, point }))),
      logParams: (params) => Object.assign(recorded.params, params),
      setTags: (tags) => Object.assign(recorded.tags, tags),
      setBackend: (backend) => (recorded.backend = backend),
      startChildRun: (params) => {
        const id = 1000 + recorded.childRuns.length;
        recorded.childRuns.push({ id, params });
        return id;
      },
      finishChildRun: (id, status, error) =>
        Object.assign(
          recorded.childRuns.find((c) => c.id === id)!,
          { status, error },
        ),
    },
    registry: options.registry ?? {
      baseline: () => undefined,
      push: () => Promise.reject(new Error('this test gave the executor no registry')),
    },
    signal: options.signal ?? new AbortController().signal,
    progress: () => undefined,
    log: (line) => recorded.lines.push(line),
  };
  return { context, recorded };
}
