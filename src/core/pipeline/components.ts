import type { Problem, SourceLocation } from '../util/problems';
import type { PipelineConfig } from './config';

/** The built-in components this version runs, in pipeline order. */
export const BUILTIN_COMPONENTS = ['ingest', 'statistics', 'schema', 'validate', 'transform', 'train', 'evaluate', 'push'] as const;
export type BuiltinComponent = (typeof BUILTIN_COMPONENTS)[number];

export interface ComponentInfo {
  name: string;
  type: BuiltinComponent | 'step';
  dependsOn: string[];
  /** Where the component is declared (the section or step key), for CodeLens and messages. */
  location: SourceLocation;
}

/**
 * Orders components so each comes after what it depends on (Kahn's algorithm, ties kept in file
 * order so runs are predictable). Returns the cycle's members as a problem when there is one.
 */
export function topologicalOrder(components: ComponentInfo[]): { order: ComponentInfo[]; problems: Problem[] } {
  const byName = new Map(components.map((c) => [c.name, c]));
  const remaining = new Map(components.map((c) => [c.name, c.dependsOn.filter((d) => byName.has(d)).length]));
  const order: ComponentInfo[] = [];
  const ready = components.filter((c) => remaining.get(c.name) === 0);
  while (ready.length) {
    const next = ready.shift()!;
    order.push(next);
    for (const c of components) {
      if (!c.dependsOn.includes(next.name)) continue;
      const left = remaining.get(c.name)! - 1;
      remaining.set(c.name, left);
      if (left === 0) ready.push(c);
    }
  }
  if (order.length === components.length) return { order, problems: [] };
  const cyclic = components.filter((c) => !order.includes(c));
  return {
    order,
    problems: [
      {
        severity: 'error',
        location: cyclic[0].location,
        message: `steps depend on each other in a cycle: ${cyclic.map((c) => c.name).join(' → ')}`,
        hint: "remove one of the 'after' entries so the steps can run in some order",
      },
    ],
  };
}

/** A component plus everything it needs, in run order: what `--component NAME` runs. */
export function withUpstream(order: ComponentInfo[], name: string): ComponentInfo[] {
  const byName = new Map(order.map((c) => [c.name, c]));
  const wanted = new Set<string>();
  const visit = (n: string) => {
    if (wanted.has(n)) return;
    wanted.add(n);
    for (const d of byName.get(n)?.dependsOn ?? []) visit(d);
  };
  visit(name);
  return order.filter((c) => wanted.has(c.name));
}

/** The components of a checked pipeline, with their dependencies, in file order. */
export function pipelineComponents(config: PipelineConfig): ComponentInfo[] {
  const builtins = builtinComponents({
    data: config.data.train.location,
    statistics: config.statistics?.location,
    schema: config.schema?.location,
    validate: config.validate?.location,
    transform: config.transform?.location,
    train: (config.train ?? config.trainStep)?.location,
    evaluate: config.evaluate?.location,
    push: config.push?.location,
    trainStep: config.trainStep?.step,
  });
  return [
    ...builtins,
    ...config.steps.map((s): ComponentInfo => ({
      name: s.name,
      type: 'step',
      dependsOn: stepDependencies(s.name, s.after, config.trainStep?.step),
      location: s.location,
    })),
  ];
}

/** The component whose `model` artifact evaluate and push take: the built-in trainer, or the step `train.step` names. */
export function modelComponent(config: Pick<PipelineConfig, 'trainStep'>): string {
  return config.trainStep?.step ?? 'train';
}

/** A step's `after`, plus the transform when the step trains the model: it runs on checked data and its package keeps the label's encoding. */
export function stepDependencies(name: string, after: string[], trainStep: string | undefined): string[] {
  return name === trainStep && !after.includes('transform') ? [...after, 'transform'] : after;
}

/**
 * The built-in components a pipeline file asks for, from where its sections are: validate needs a
 * schema, a schema needs statistics, statistics need the ingested examples.
 */
export function builtinComponents(
  sections: Partial<Record<'data' | 'statistics' | 'schema' | 'validate' | 'transform' | 'train' | 'evaluate' | 'push', SourceLocation>> & {
    /** `train.step`: that step trains the model, so there is no built-in train component. */
    trainStep?: string;
  },
): ComponentInfo[] {
  const out: ComponentInfo[] = [];
  const { data, statistics, schema, validate, transform, train, evaluate, push, trainStep } = sections;
  const trainer = trainStep ?? 'train';
  if (data) out.push({ name: 'ingest', type: 'ingest', dependsOn: [], location: data });
  if (statistics || schema || validate)
    out.push({ name: 'statistics', type: 'statistics', dependsOn: ['ingest'], location: (statistics ?? schema ?? validate)! });
  if (schema || validate) out.push({ name: 'schema', type: 'schema', dependsOn: ['statistics'], location: (schema ?? validate)! });
  if (validate) out.push({ name: 'validate', type: 'validate', dependsOn: ['statistics', 'schema'], location: validate });
  // Transform fits on data that passed validation: the validate gate stops a run before it.
  if (transform || train) {
    const checked = validate ? ['schema', 'validate'] : schema ? ['schema'] : [];
    out.push({ name: 'transform', type: 'transform', dependsOn: ['ingest', ...checked], location: (transform ?? train)! });
  }
  if (train && !trainStep) out.push({ name: 'train', type: 'train', dependsOn: ['transform'], location: train });
  // Push deploys only what evaluate blessed, so asking for push implies evaluating.
  if (train && (evaluate || push)) out.push({ name: 'evaluate', type: 'evaluate', dependsOn: ['ingest', trainer], location: (evaluate ?? push)! });
  if (train && push) out.push({ name: 'push', type: 'push', dependsOn: [trainer, 'evaluate'], location: push });
  return out;
}
