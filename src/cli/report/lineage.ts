import { lineageLabel } from '../../core/lineage/labels';
import type { LineageGraph, LineageNode } from '../../core/store/types';
import { shortHash } from '../../core/util/format';
import { statusStyle, style, table } from '../style';

const WAYS = { up: 'upstream', down: 'downstream', both: 'upstream and downstream' } as const;

/**
 * The graph as a listing people read top to bottom: executions in the order they ran (ids grow
 * along every edge), each with what it read and wrote, then the registry versions and what serving
 * saw. Subjects are marked with ▶.
 */
export function renderLineage(graph: LineageGraph, subjectText: string, displayPath: (uri: string) => string): string {
  const subjects = new Set(graph.subjects);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const mark = (id: string) => (subjects.has(id) ? style.bold('▶ ') : '  ');
  const of = <K extends LineageNode['kind']>(kind: K) => graph.nodes.filter((n): n is Extract<LineageNode, { kind: K }> => n.kind === kind);
  const executions = of('execution');
  const versions = of('modelVersion');
  const artifacts = of('artifact');
  const lines = [
    style.bold(`Lineage of ${subjectText}`) +
      style.dim(
        ` · ${WAYS[graph.direction]} · ${count(executions.length, 'execution')}, ${count(artifacts.length, 'artifact')}, ${count(versions.length, 'model version')}`,
      ),
  ];
  const rows: string[][] = [];
  for (const e of executions) {
    const label = lineageLabel(e, displayPath);
    const status = e.reusedFrom || e.execution.status === 'cached' ? style.cyan(label.caption.split(' · ')[1]) : paint(e.execution.status);
    rows.push([`${mark(e.id)}run #${e.execution.runId}`, style.bold(e.execution.component), status, '', '']);
    for (const edge of graph.edges) {
      const input = edge.kind === 'input' && edge.to === e.id;
      const output = edge.kind === 'output' && edge.from === e.id;
      if (!input && !output) continue;
      const a = byId.get(input ? edge.from : edge.to);
      if (a?.kind !== 'artifact') continue;
      rows.push([
        `${mark(a.id)}  ${input ? 'in ' : 'out'}`,
        edge.name ?? '',
        `${a.artifact.type} #${a.artifact.id}`,
        displayPath(a.artifact.uri),
        style.dim(shortHash(a.artifact.contentHash)),
      ]);
    }
  }
  const loose = artifacts.filter((a) => !graph.edges.some((e) => e.from === a.id || e.to === a.id));
  for (const a of loose)
    rows.push([`${mark(a.id)}file`, '', `${a.artifact.type} #${a.artifact.id}`, displayPath(a.artifact.uri), style.dim(shortHash(a.artifact.contentHash))]);
  if (rows.length) lines.push('', table(['RUN', 'COMPONENT / PORT', 'STATUS / ARTIFACT', 'LOCATION', 'HASH'], rows));
  if (versions.length) {
    lines.push('', style.bold('Model versions'));
    for (const v of versions) {
      const label = lineageLabel(v, displayPath);
      const from = graph.edges
        .filter((e) => e.to === v.id)
        .map((e) => byId.get(e.from))
        .map((a) => (a?.kind === 'artifact' ? `${a.artifact.type === 'PushedModel' ? 'pushed as' : 'package'} ${a.artifact.type} #${a.artifact.id}` : ''));
      lines.push(`${mark(v.id)}${style.bold(label.title)}  ${label.caption}  ${style.dim([...label.detail, ...from].join(' · '))}`);
    }
  }
  const served = of('monitoring');
  if (served.length) {
    lines.push('', style.bold('Serving'));
    for (const m of served) {
      const label = lineageLabel(m, displayPath);
      lines.push(`  ${style.bold(label.title)}: ${label.caption}`, ...label.detail.map((d) => `    ${d}`));
    }
  }
  if (executions.length === 0 && versions.length === 0) lines.push('', style.dim(`nothing ${graph.direction === 'up' ? 'upstream' : 'recorded around it'}`));
  if (graph.truncated) lines.push('', style.yellow('The graph was cut at --max-nodes: narrow it with --direction or --depth, or raise --max-nodes.'));
  return lines.join('\n');
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function paint(status: string): string {
  return (statusStyle[status] ?? ((s: string) => s))(status);
}
