import type { LinkedArtifact, RunDetails } from '../../core/store/types';

/**
 * One row per artifact of a run, however many components read it: the run's examples are an output
 * of ingest and an input of statistics, transform and evaluate, and listing each link gave four rows
 * (and four tree items with one id). Pure, so the Runs tree's rows can be tested without VS Code.
 */
export interface ArtifactEntry {
  /** The link the row stands for: the output that made it in this run, else the first input. */
  artifact: LinkedArtifact;
  /** `ingest.examples` for an output of this run, the input's name for data from outside it. */
  label: string;
  /** The component of this run that wrote it, if one did. */
  producer?: string;
  /** Components of this run that read it, in execution order. */
  consumers: string[];
}

export function artifactEntries(details: Pick<RunDetails, 'executions' | 'artifacts'>): ArtifactEntry[] {
  const component = new Map(details.executions.map((e) => [e.id, e.component]));
  const entries = new Map<number, ArtifactEntry>();
  for (const link of details.artifacts) {
    let entry = entries.get(link.id);
    if (!entry) entries.set(link.id, (entry = { artifact: link, label: link.name, consumers: [] }));
    const by = component.get(link.executionId);
    if (link.role === 'output') {
      entry.artifact = link;
      entry.producer = by;
      entry.label = by ? `${by}.${link.name}` : link.name;
    } else if (by && !entry.consumers.includes(by)) {
      entry.consumers.push(by);
    }
  }
  return [...entries.values()];
}
