import type { RunDetails } from '../store/types';

/** One model of the original run next to the reproduction's model from the same component and port. */
export interface ModelComparison {
  component: string;
  name: string;
  original: string | null;
  reproduction: string | null;
  /** The package's content hash is the same: every file of it, byte for byte. */
  equal: boolean;
  /** The weights alone (tfjs models), which tells a weights difference from a packaging one. */
  originalWeights: string | null;
  reproductionWeights: string | null;
}

/** The Model outputs of a run, by `component.port`. */
export function runModels(details: RunDetails): Map<string, { component: string; name: string; contentHash: string | null; weightsHash: string | null }> {
  const components = new Map(details.executions.map((e) => [e.id, e.component]));
  const models = new Map<string, { component: string; name: string; contentHash: string | null; weightsHash: string | null }>();
  for (const a of details.artifacts) {
    if (a.role !== 'output' || a.type !== 'Model') continue;
    const component = components.get(a.executionId) ?? '?';
    const weights = a.properties.weightsHash;
    models.set(`${component}.${a.name}`, { component, name: a.name, contentHash: a.contentHash, weightsHash: typeof weights === 'string' ? weights : null });
  }
  return models;
}

/** Each model the original run made, compared with the one the reproduction made in its place. */
export function compareModels(original: RunDetails, reproduction: RunDetails): ModelComparison[] {
  const made = runModels(reproduction);
  return [...runModels(original)].map(([key, o]) => {
    const r = made.get(key);
    return {
      component: o.component,
      name: o.name,
      original: o.contentHash,
      reproduction: r?.contentHash ?? null,
      equal: o.contentHash !== null && o.contentHash === r?.contentHash,
      originalWeights: o.weightsHash,
      reproductionWeights: r?.weightsHash ?? null,
    };
  });
}
