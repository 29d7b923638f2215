import * as vscode from 'vscode';
import type { ModelRecord, ModelVersionRecord } from '../../core/registry/types';
import { formatMetric, formatRelativeTime, formatTimestamp } from '../../core/util/format';
import { regressionText } from '../../shared/evaluationView';
import { metricOrder } from '../evaluation/collect';
import { displayPath } from '../util/paths';
import {
  aliasBadges,
  BLESSING_LABEL,
  blessingState,
  modelContextValue,
  modelDescription,
  PRODUCTION,
  productionRegressions,
  versionContextValue,
  versionDescription,
} from './collect';
import type { BlessingState } from './collect';
import { COMMAND_SHOW_EVALUATION } from '../commandIds';

/** `runId` on a version lets the run commands (Show Evaluation, Open Run) take the node as they take a run. */
export type ModelsNode = { kind: 'model'; model: ModelRecord } | { kind: 'version'; model: string; version: ModelVersionRecord; runId: number | null };

export type VersionNode = Extract<ModelsNode, { kind: 'version' }>;

/** The Testing view's colours, so "blessed / failed" reads like "passed / failed" everywhere. */
const BLESSING_ICONS: Record<BlessingState, [string, string]> = {
  blessed: ['verified-filled', 'testing.iconPassed'],
  unblessed: ['error', 'testing.iconFailed'],
  unevaluated: ['circle-large-outline', 'disabledForeground'],
  forced: ['warning', 'list.warningForeground'],
};

export function blessingIcon(state: BlessingState): vscode.ThemeIcon {
  const [id, color] = BLESSING_ICONS[state];
  return new vscode.ThemeIcon(id, new vscode.ThemeColor(color));
}

export function modelItem(m: ModelRecord): vscode.TreeItem {
  const item = new vscode.TreeItem(m.name, m.versionCount ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
  item.id = `model:${m.name}`;
  item.description = modelDescription(m);
  item.iconPath = new vscode.ThemeIcon('package');
  item.contextValue = modelContextValue(m);
  const aliases = Object.entries(m.aliases).map(([alias, v]) => `${alias} → v${v}`);
  item.tooltip = `${m.name}: ${modelDescription(m)}${aliases.length ? `\n${aliases.join('\n')}` : ''}`;
  return item;
}

export function versionTooltip(v: ModelVersionRecord, now: number, production?: ModelVersionRecord): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.supportThemeIcons = true;
  const state = blessingState(v);
  md.appendMarkdown(`**`)
    .appendText(`${v.model}@${v.version}`)
    .appendMarkdown(`** · $(${BLESSING_ICONS[state][0]}) `)
    .appendText(BLESSING_LABEL[state])
    .appendMarkdown('\n\n');
  const rows: [string, string][] = [
    ['Aliases', aliasBadges(v.aliases).join(', ') || '–'],
    ['Run', v.runId === null ? 'deleted' : `#${v.runId}`],
    ['Task', v.task],
    ['Registered', `${formatTimestamp(v.createdAt)} (${formatRelativeTime(v.createdAt, now)})`],
    ['Pushed to', v.pushedTo ? displayPath(v.pushedTo) : 'never pushed'],
  ];
  for (const [k, value] of rows) md.appendMarkdown(`${k}: `).appendText(value).appendMarkdown('  \n');
  const fell = productionRegressions(v, production);
  if (fell.length)
    md.appendMarkdown('\n$(warning) ')
      .appendText(`Much worse than ${PRODUCTION} v${production!.version}: ${fell.map((r) => regressionText(r, formatMetric)).join(', ')}`)
      .appendMarkdown('  \n');
  const metrics = metricOrder(Object.keys(v.metrics));
  if (metrics.length) {
    md.appendMarkdown('\n');
    for (const k of metrics) md.appendText(`${k}: ${formatMetric(v.metrics[k])}`).appendMarkdown('  \n');
  }
  return md;
}

export function versionItem(node: VersionNode, production: ModelVersionRecord | undefined, now: number): vscode.TreeItem {
  const v = node.version;
  const item = new vscode.TreeItem(`v${v.version}`, vscode.TreeItemCollapsibleState.None);
  item.id = `version:${v.model}@${v.version}`;
  item.description = versionDescription(v, production);
  item.iconPath = blessingIcon(blessingState(v));
  item.tooltip = versionTooltip(v, now, production);
  item.contextValue = versionContextValue(v, production);
  if (v.runId !== null && v.blessed !== null) item.command = { command: COMMAND_SHOW_EVALUATION, title: 'Show Evaluation', arguments: [v.runId] };
  item.accessibilityInformation = {
    label: `${v.model} version ${v.version}, ${BLESSING_LABEL[blessingState(v)]}${item.description ? `, ${item.description}` : ''}`,
  };
  return item;
}
