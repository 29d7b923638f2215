import { lineageLabel } from '../../core/lineage/labels';
import type { LineageGraph, LineageNode } from '../../core/store/types';
import type { LineageSubjectView, LineageView } from '../../shared/lineage';

/** One panel per subject: the registry's key, and the panel's title. */
export function subjectKey(subject: LineageSubjectView): string {
  switch (subject.kind) {
    case 'run':
      return `run:${subject.runId}`;
    case 'artifact':
      return `artifact:${[...subject.artifactIds].sort((a, b) => a - b).join(',')}`;
    case 'model':
      return `model:${subject.model}@${subject.version}`;
  }
}

/** "run #12", "taxi@2", or the file the artifacts are ("data/train.csv"). */
export function subjectName(subject: LineageSubjectView, graph: LineageGraph | undefined, displayPath: (uri: string) => string): string {
  switch (subject.kind) {
    case 'run':
      return `run #${subject.runId}`;
    case 'model':
      return `${subject.model}@${subject.version}`;
    case 'artifact': {
      const first = graph?.nodes.find((n) => n.kind === 'artifact' && n.artifact.id === subject.artifactIds[0]);
      return first?.kind === 'artifact' ? displayPath(first.artifact.uri) : `artifact #${subject.artifactIds[0]}`;
    }
  }
}

export function lineageTitle(name: string): string {
  return `Lineage: ${name}`;
}

/** The store's graph as the page draws it: labelled nodes, edges named by their port. */
export function toLineageView(graph: LineageGraph, subject: LineageSubjectView, displayPath: (uri: string) => string, queryMs: number): LineageView {
  const subjects = new Set(graph.subjects);
  return {
    title: `Lineage of ${subjectName(subject, graph, displayPath)}`,
    subject,
    direction: graph.direction,
    nodes: graph.nodes.map((node) => ({
      id: node.id,
      kind: node.kind,
      ...lineageLabel(node, displayPath),
      status: statusOf(node),
      reused: node.kind === 'execution' && node.execution.status === 'cached',
      reusedFromRun: node.kind === 'execution' ? (node.reusedFrom?.runId ?? null) : null,
      subject: subjects.has(node.id),
    })),
    edges: graph.edges.map((e) => ({ from: e.from, to: e.to, kind: e.kind, label: e.name ?? null })),
    truncated: graph.truncated,
    queryMs,
  };
}

function statusOf(node: LineageNode): string | null {
  switch (node.kind) {
    case 'execution':
      return node.execution.status;
    case 'artifact':
      return node.artifact.state;
    case 'modelVersion':
      return node.version.blessed === null ? null : node.version.blessed ? 'blessed' : 'not blessed';
    case 'monitoring':
      return node.monitoring.alerts > 0 ? 'alerts' : 'quiet';
  }
}
