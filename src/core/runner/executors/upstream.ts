import type { ExecutorContext, ResolvedArtifact } from '../executor';

/** The artifact an upstream component produced; the DAG guarantees it exists, so absence is a bug. */
export function upstreamArtifact(ctx: Pick<ExecutorContext, 'inputs' | 'component'>, component: string, name: string): ResolvedArtifact {
  const artifact = ctx.inputs.get(component)?.find((a) => a.name === name);
  if (!artifact) throw new Error(`${ctx.component.name}: no '${name}' artifact from ${component}`);
  return artifact;
}
