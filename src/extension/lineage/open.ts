import * as vscode from 'vscode';
import type { LineageGraph, LineageNode } from '../../core/store/types';
import { COMMAND_OPEN_RUN, COMMAND_SHOW_ANOMALIES, COMMAND_SHOW_EVALUATION, COMMAND_SHOW_MONITORING, COMMAND_SHOW_STATISTICS } from '../commandIds';
import { openArtifact } from '../runs/artifacts';

/** Artifacts that have a panel of their own, opened on the run that wrote them. */
const PANEL_OF_TYPE: Record<string, string> = {
  Statistics: COMMAND_SHOW_STATISTICS,
  Anomalies: COMMAND_SHOW_ANOMALIES,
  ModelEvaluation: COMMAND_SHOW_EVALUATION,
  ModelBlessing: COMMAND_SHOW_EVALUATION,
};

/** What clicking a node opens: its run, its panel, its file, or its monitoring. */
export async function openLineageNode(node: LineageNode, graph: LineageGraph): Promise<void> {
  switch (node.kind) {
    case 'execution':
      await vscode.commands.executeCommand(COMMAND_OPEN_RUN, node.execution.runId);
      return;
    case 'artifact': {
      const panel = PANEL_OF_TYPE[node.artifact.type];
      const runId = producerRun(node.id, graph);
      if (panel && runId !== undefined) await vscode.commands.executeCommand(panel, runId);
      else await openArtifact(node.artifact.uri);
      return;
    }
    case 'modelVersion': {
      const { runId, blessed } = node.version;
      if (runId !== null) await vscode.commands.executeCommand(blessed === null ? COMMAND_OPEN_RUN : COMMAND_SHOW_EVALUATION, runId);
      else void vscode.window.showInformationMessage(`MLOps: the run that trained ${node.version.model}@${node.version.version} was deleted.`);
      return;
    }
    case 'monitoring':
      await vscode.commands.executeCommand(COMMAND_SHOW_MONITORING, node.monitoring.model);
      return;
  }
}

/** The run of the execution that wrote the artifact (the original, when a cached one re-linked it). */
function producerRun(artifactNodeId: string, graph: LineageGraph): number | undefined {
  const writers = graph.edges
    .filter((e) => e.kind === 'output' && e.to === artifactNodeId)
    .map((e) => graph.nodes.find((n) => n.id === e.from))
    .filter((n): n is Extract<LineageNode, { kind: 'execution' }> => n?.kind === 'execution');
  const original = writers.find((w) => w.execution.status !== 'cached') ?? writers[0];
  return original?.reusedFrom?.runId ?? original?.execution.runId;
}
