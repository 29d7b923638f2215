import * as vscode from 'vscode';
import type { ExecutionStatus, RunStatus } from '../../core/store/types';

/** Icons follow the Testing view's colours so "passed/failed" reads the same across the editor. */
const RUN_ICONS: Record<RunStatus, [string, string]> = {
  running: ['sync~spin', 'charts.blue'],
  complete: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  canceled: ['circle-slash', 'disabledForeground'],
  interrupted: ['warning', 'list.warningForeground'],
};

const EXECUTION_ICONS: Record<ExecutionStatus, [string, string]> = {
  new: ['circle-outline', 'disabledForeground'],
  running: ['sync~spin', 'charts.blue'],
  complete: ['pass', 'testing.iconPassed'],
  cached: ['pass-filled', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  canceled: ['circle-slash', 'disabledForeground'],
};

export function runStatusIcon(status: RunStatus): vscode.ThemeIcon {
  const [id, color] = RUN_ICONS[status] ?? ['question', 'foreground'];
  return new vscode.ThemeIcon(id, new vscode.ThemeColor(color));
}

export function executionStatusIcon(status: ExecutionStatus | undefined): vscode.ThemeIcon {
  if (!status) return new vscode.ThemeIcon('circle-large-outline');
  const [id, color] = EXECUTION_ICONS[status] ?? ['question', 'foreground'];
  return new vscode.ThemeIcon(id, new vscode.ThemeColor(color));
}
