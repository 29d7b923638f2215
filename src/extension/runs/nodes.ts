import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunDetails, RunRecord } from '../../core/store/types';
import { elapsed, formatBytes, formatDuration, formatMetric, formatRelativeTime, formatTimestamp, shortHash } from '../../core/util/format';
import { displayPath, toUri } from '../util/paths';
import type { ArtifactEntry } from './artifactEntries';
import { describeTrigger, triggerKindLabel } from '../../core/triggers/trigger';
import { runStatusIcon } from './icons';
import { COMMAND_LOAD_MORE, COMMAND_OPEN_ARTIFACT, COMMAND_OPEN_RUN } from '../commandIds';

export type RunsNode =
  | { kind: 'group'; pipeline: string }
  | { kind: 'run'; run: RunRecord }
  | { kind: 'more'; pipeline: string; shown: number; total: number }
  | { kind: 'section'; runId: number; section: 'trials' | 'params' | 'metrics' | 'artifacts'; count: number }
  | { kind: 'param'; runId: number; key: string; value: string }
  | { kind: 'metric'; runId: number; metric: RunDetails['metrics'][number] }
  | ({ kind: 'artifact'; runId: number } & ArtifactEntry)
  | { kind: 'message'; id: string; text: string };

export type RunNode = Extract<RunsNode, { kind: 'run' }>;
export type ArtifactNode = Extract<RunsNode, { kind: 'artifact' }>;

/** `complete · 4.2 s · 5 min ago` */
export function runDescription(run: RunRecord, now: number): string {
  const duration = elapsed(run.startedAt, run.endedAt, now);
  const parts = [run.status, duration === undefined ? '–' : formatDuration(duration), formatRelativeTime(run.startedAt, now)];
  if (run.trigger) parts.push(`⚡ ${triggerKindLabel(run.trigger)}`);
  return parts.join(' · ');
}

export function runTooltip(run: RunRecord, now: number): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.supportThemeIcons = true;
  const duration = elapsed(run.startedAt, run.endedAt, now);
  md.appendMarkdown(`**Run #${run.id}** · ${run.pipelineName} · $(${runStatusIcon(run.status).id}) ${run.status}\n\n`);
  const rows: [string, string][] = [
    ['Pipeline file', run.pipelineFile],
    ['Component', run.component ?? 'all'],
    ['Started', formatTimestamp(run.startedAt)],
    ['Ended', run.endedAt ? formatTimestamp(run.endedAt) : '–'],
    ['Duration', duration === undefined ? '–' : formatDuration(duration)],
    ['Git commit', run.gitCommit ? `${run.gitCommit.slice(0, 10)}${run.gitDirty ? ' (dirty)' : ''}` : '–'],
    ['Tool version', run.toolVersion],
    ['Seed', run.seed === null ? '–' : String(run.seed)],
    ...(run.reproducesRunId !== null ? [['Reproduces', `run #${run.reproducesRunId}`] as [string, string]] : []),
  ];
  if (run.trigger) rows.splice(2, 0, ['Trigger', describeTrigger(run.trigger, path.dirname(run.pipelineFile))]);
  for (const [k, v] of rows) md.appendMarkdown(`${k}: `).appendText(v).appendMarkdown('  \n');
  if (run.error) md.appendMarkdown('\n**Error:** ').appendText(run.error);
  return md;
}

/**
 * `run`, `run.running`, with `.tuning` when the run has trials; a trial is `trial` or `trial.running`
 * (it can be opened and compared, not deleted or canceled on its own).
 */
export function runContextValue(run: RunRecord, trials: number): string {
  const kind = run.parentRunId !== null ? 'trial' : 'run';
  return `${kind}${run.status === 'running' ? '.running' : ''}${trials > 0 ? '.tuning' : ''}`;
}

export function runItem(run: RunRecord, checked: boolean, now: number, trials = 0): vscode.TreeItem {
  const item = new vscode.TreeItem(`#${run.id}`, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `run:${run.id}`;
  const prefix = run.parentRunId !== null ? 'trial · ' : '';
  const reproduces = run.reproducesRunId !== null ? ` · reproduces #${run.reproducesRunId}` : '';
  const suffix = (trials > 0 ? ` · ${trials} trial${trials === 1 ? '' : 's'}` : '') + reproduces;
  item.description = prefix + runDescription(run, now) + suffix;
  item.tooltip = runTooltip(run, now);
  item.iconPath = runStatusIcon(run.status);
  item.contextValue = runContextValue(run, trials);
  item.checkboxState = {
    state: checked ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked,
    tooltip: 'Select for comparison',
    accessibilityInformation: { label: `Select run ${run.id} for comparison` },
  };
  item.command = { command: COMMAND_OPEN_RUN, title: 'Open Run', arguments: [run.id] };
  item.accessibilityInformation = { label: `Run ${run.id}, ${item.description}` };
  return item;
}

export function groupItem(pipeline: string, total: number, newest: RunRecord | undefined, now: number): vscode.TreeItem {
  const item = new vscode.TreeItem(pipeline, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `group:${pipeline}`;
  item.description = `${total} run${total === 1 ? '' : 's'}${newest ? ` · last ${formatRelativeTime(newest.startedAt, now)}` : ''}`;
  item.iconPath = new vscode.ThemeIcon('type-hierarchy');
  item.contextValue = 'runGroup';
  return item;
}

export function moreItem(node: Extract<RunsNode, { kind: 'more' }>): vscode.TreeItem {
  const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
  item.id = `more:${node.pipeline}:${node.shown}`;
  item.description = `${node.shown} of ${node.total} shown`;
  item.iconPath = new vscode.ThemeIcon('ellipsis');
  item.command = { command: COMMAND_LOAD_MORE, title: 'Load more', arguments: [node.pipeline] };
  item.contextValue = 'loadMore';
  return item;
}

const SECTION_LABEL = { trials: 'Trials', params: 'Parameters', metrics: 'Metrics', artifacts: 'Artifacts' } as const;
const SECTION_ICON = { trials: 'beaker', params: 'symbol-parameter', metrics: 'graph-line', artifacts: 'package' } as const;

export function sectionItem(node: Extract<RunsNode, { kind: 'section' }>): vscode.TreeItem {
  const state = node.count ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
  const item = new vscode.TreeItem(SECTION_LABEL[node.section], state);
  item.id = `run:${node.runId}:${node.section}`;
  item.description = node.count ? String(node.count) : 'none';
  item.iconPath = new vscode.ThemeIcon(SECTION_ICON[node.section]);
  return item;
}

export function paramItem(node: Extract<RunsNode, { kind: 'param' }>): vscode.TreeItem {
  const item = new vscode.TreeItem(node.key);
  item.id = `run:${node.runId}:param:${node.key}`;
  item.description = node.value;
  item.tooltip = `${node.key} = ${node.value}`;
  item.contextValue = 'param';
  return item;
}

export function metricItem(node: Extract<RunsNode, { kind: 'metric' }>): vscode.TreeItem {
  const m = node.metric;
  const item = new vscode.TreeItem(m.key);
  item.id = `run:${node.runId}:metric:${m.key}:${m.executionId ?? ''}`;
  item.description = formatMetric(m.value) + (m.points > 1 ? ` (step ${m.step}, ${m.points} points)` : '');
  item.tooltip = `${m.key} = ${m.value}`;
  item.contextValue = 'metric';
  return item;
}

export function artifactItem(node: ArtifactNode): vscode.TreeItem {
  const a = node.artifact;
  const uri = toUri(a.uri);
  const item = new vscode.TreeItem(node.label || path.basename(uri.fsPath));
  // One row per artifact (artifactEntries), so its id is unique in the run by construction.
  item.id = `run:${node.runId}:artifact:${a.id}`;
  item.resourceUri = uri;
  item.description = `${a.type} · ${node.producer ? 'output' : 'input'} · ${formatBytes(a.sizeBytes)}`;
  const md = new vscode.MarkdownString();
  md.appendText(displayPath(uri.fsPath)).appendMarkdown('  \n');
  md.appendText(`${a.type}, ${formatBytes(a.sizeBytes)}, ${shortHash(a.contentHash, 16)}, ${a.state}`).appendMarkdown('  \n');
  const made = node.producer ? `made by ${node.producer}` : 'data from outside the run';
  md.appendText(node.consumers.length ? `${made}; read by ${node.consumers.join(', ')}` : made);
  item.tooltip = md;
  item.contextValue = a.state !== 'live' ? 'artifact.gone' : a.type === 'Statistics' ? 'artifact.statistics' : 'artifact';
  item.command = { command: COMMAND_OPEN_ARTIFACT, title: 'Open', arguments: [node] };
  return item;
}

export function messageItem(node: Extract<RunsNode, { kind: 'message' }>): vscode.TreeItem {
  const item = new vscode.TreeItem(node.text);
  item.id = node.id;
  return item;
}
