import * as vscode from 'vscode';
import type { RunEvent } from '../core/runner/events';
import { Anomalies } from './anomalies/index';
import type { MlopsExtensionApi } from './api';
import { registerCommand } from './commands';
import { CompareCommands } from './compare/commands';
import { ComparePanels } from './compare/index';
import { PipelineDiagnostics } from './diagnostics/index';
import { DriftViewProvider } from './drift/provider';
import { EvaluationCommands } from './evaluation/commands';
import { EvaluationPanels } from './evaluation/index';
import { ModelsCommands } from './models/commands';
import { ModelsTreeProvider } from './models/tree';
import { AlertNotifier } from './monitoring/alertNotifier';
import { MonitoringPanels } from './monitoring/index';
import { LineageCommands, LineagePanels } from './lineage/index';
import { RunDetailsPanels } from './runDetails/index';
import { PipelineCodeLensProvider } from './pipelines/codeLens';
import { PIPELINE_GLOB } from './pipelines/collect';
import { DocumentParser } from './pipelines/documentParser';
import { PipelineIndex } from './pipelines/index';
import { PipelinesTreeProvider } from './pipelines/tree';
import { copyArtifactPath, openArtifact, revealArtifact } from './runs/artifacts';
import { CheckedRuns } from './runs/checkedRuns';
import { RunsCommands } from './runs/commands';
import { ReproduceRunCommand } from './runs/reproduce';
import { RunsModel } from './runs/model';
import { type RunsNode } from './runs/nodes';
import { RunsTreeProvider } from './runs/tree';
import { RunStatusBar } from './status/runStatusBar';
import { StatisticsCommands } from './statistics/commands';
import { StatisticsPanels } from './statistics/index';
import { StatisticsFiles } from './statistics/source';
import { checkStoreDriver } from './store/driver';
import { StoreService } from './store/storeService';
import { TASK_TYPE } from './tasks/definition';
import { MlopsTaskProvider } from './tasks/provider';
import { RunTaskCommands } from './tasks/runCommands';
import { RunSessions } from './tasks/sessions';
import { ServingCommands } from './serving/commands';
import { RESPONSE_SCHEME, ResponseDocuments } from './serving/responseDocuments';
import { MinuteTicker } from './util/minuteTicker';
import { RunFinishedNotifier } from './status/runFinished';
import { ServingController } from './serving/controller';
import { ServingStatusBar } from './serving/statusBar';
import { WatchCommands } from './watch/commands';
import { WatchController } from './watch/controller';
import { WatchStatusBar } from './watch/statusBar';
import { TrainingCommands } from './training/commands';
import { TrainingPanels } from './training/index';
import { TrainingStatusBar } from './training/statusBar';
import {
  COMMAND_CANCEL_RUN,
  COMMAND_COMPARE_DATASETS,
  COMMAND_COMPARE_RUNS,
  COMMAND_COMPARE_TRIALS,
  COMMAND_COMPARE_WITH_PRODUCTION,
  COMMAND_COPY_ARTIFACT_PATH,
  COMMAND_DELETE_RUN,
  COMMAND_EXPORT_COMPARISON,
  COMMAND_LOAD_MORE,
  COMMAND_OPEN_ARTIFACT,
  COMMAND_OPEN_RUN,
  COMMAND_REPRODUCE_RUN,
  COMMAND_PROMOTE_TO_STAGING,
  COMMAND_PUSH_TO_PRODUCTION,
  COMMAND_REFRESH,
  COMMAND_REVEAL_ARTIFACT,
  COMMAND_ROLLBACK_PRODUCTION,
  COMMAND_RUN_COMPONENT,
  COMMAND_RUN_PIPELINE,
  COMMAND_SEND_TEST_REQUEST,
  COMMAND_SHOW_ANOMALIES,
  COMMAND_SHOW_EVALUATION,
  COMMAND_SHOW_LINEAGE,
  COMMAND_SHOW_LOG,
  COMMAND_SHOW_MONITORING,
  COMMAND_SHOW_STATISTICS,
  COMMAND_SHOW_TRAINING,
  COMMAND_START_SERVING,
  COMMAND_STOP_SERVING,
  COMMAND_STOP_WATCHING,
  COMMAND_WATCH_PIPELINE,
} from './commandIds';

export const VIEW_PIPELINES = 'mlops.pipelines';
export const VIEW_RUNS = 'mlops.runs';
export const VIEW_MODELS = 'mlops.models';

/** The composition root: builds every part, hands each its dependencies, owns their lifetimes. */
/** Set by the bundle's first line (scripts/build.mjs): activation is timed from the bundle's loading. */
declare const __mlopsLoadStart: number | undefined;
/** This module's body runs last in the bundle: the end of loading it, before VS Code calls `activate`. */
const bundleLoaded = performance.now();

export function activate(context: vscode.ExtensionContext): MlopsExtensionApi {
  const activateStart = performance.now();
  const log = vscode.window.createOutputChannel('MLOps', { log: true });
  log.info(`activating MLOps Pipelines ${context.extension.packageJSON.version} (VS Code ${vscode.version})`);
  const subscriptions = context.subscriptions;
  subscriptions.push(log);

  const storeDriver = checkStoreDriver({
    log,
    showError: (message) => vscode.window.showErrorMessage(message, 'Show Log').then((choice) => choice && log.show(true)),
  });
  const cliPath = context.asAbsolutePath('dist/cli.js');
  const sessions = new RunSessions();
  const store = new StoreService(log);
  const index = new PipelineIndex(log);
  const parser = new DocumentParser();
  subscriptions.push(sessions, store, index, parser);

  const diagnostics = new PipelineDiagnostics(index, parser, log);
  const codeLens = new PipelineCodeLensProvider(parser);
  const tasks = new MlopsTaskProvider({
    index,
    sessions,
    log,
    cliPath,
    storePath: () => store.path,
  });
  subscriptions.push(
    diagnostics,
    codeLens,
    tasks,
    vscode.languages.registerCodeLensProvider({ scheme: 'file', pattern: PIPELINE_GLOB }, codeLens),
    vscode.tasks.registerTaskProvider(TASK_TYPE, tasks),
    vscode.workspace.onDidGrantWorkspaceTrust(() => codeLens.refresh()),
    // A run's last commit may land after its final event; look once more when the task ends.
    vscode.tasks.onDidEndTaskProcess((e) => {
      if (e.execution.task.definition.type === TASK_TYPE) store.poke();
    }),
  );

  const checkedRuns = new CheckedRuns(context.workspaceState);
  const runsModel = new RunsModel(store);
  const runsTree = new RunsTreeProvider(runsModel, store, checkedRuns, sessions);
  const pipelinesTree = new PipelinesTreeProvider(index, store, sessions);
  const runsView = vscode.window.createTreeView<RunsNode>(VIEW_RUNS, {
    treeDataProvider: runsTree,
    showCollapseAll: true,
    canSelectMany: true,
    manageCheckboxStateManually: true,
  });
  const pipelinesView = vscode.window.createTreeView(VIEW_PIPELINES, { treeDataProvider: pipelinesTree, showCollapseAll: true });
  const modelsTree = new ModelsTreeProvider(store);
  const modelsView = vscode.window.createTreeView(VIEW_MODELS, { treeDataProvider: modelsTree, showCollapseAll: true });
  const showChecked = () => {
    const n = checkedRuns.list().length;
    runsView.description = n ? `${n} selected` : undefined;
  };
  showChecked();
  // Store queries run only for what is on screen: a hidden Runs view is refreshed when shown.
  const syncVisibility = () => {
    runsTree.setVisible(runsView.visible);
    modelsTree.setVisible(modelsView.visible);
    store.setPolling(runsView.visible || pipelinesView.visible || modelsView.visible);
  };
  syncVisibility();
  const ticker = new MinuteTicker([runsView, pipelinesView, modelsView], () => {
    runsTree.redraw();
    pipelinesTree.refresh();
    modelsTree.redraw();
  });
  subscriptions.push(
    ticker,
    checkedRuns,
    runsTree,
    pipelinesTree,
    runsView,
    pipelinesView,
    modelsTree,
    modelsView,
    checkedRuns.onDidChange(showChecked),
    runsView.onDidChangeVisibility(syncVisibility),
    pipelinesView.onDidChangeVisibility(syncVisibility),
    modelsView.onDidChangeVisibility(syncVisibility),
    runsView.onDidChangeCheckboxState((e) =>
      checkedRuns.update(
        e.items.flatMap(([node, state]) => (node.kind === 'run' ? [[node.run.id, state === vscode.TreeItemCheckboxState.Checked] as [number, boolean]] : [])),
      ),
    ),
  );

  const runDetails = new RunDetailsPanels({ store, log, extensionUri: context.extensionUri });
  const statusBar = new RunStatusBar(sessions);
  subscriptions.push(runDetails, statusBar);
  const lineage = new LineagePanels({ store, log, extensionUri: context.extensionUri });
  const lineageCommands = new LineageCommands(lineage, store);
  subscriptions.push(lineage);
  const anomalies = new Anomalies({ store, log, extensionUri: context.extensionUri });
  const drift = new DriftViewProvider(anomalies.results, {
    log,
    extensionUri: context.extensionUri,
    store,
    openAnomalies: (runId) => anomalies.panels.open(runId),
  });
  subscriptions.push(anomalies, drift);
  const statisticsFiles = new StatisticsFiles();
  const statistics = new StatisticsPanels({ store, log, extensionUri: context.extensionUri, files: statisticsFiles });
  const statisticsCommands = new StatisticsCommands(statistics, store, statisticsFiles);
  subscriptions.push(statistics);

  const runEvents = new vscode.EventEmitter<RunEvent>();
  subscriptions.push(
    runEvents,
    sessions.onDidRunEvent(({ event }) => runEvents.fire(event)),
  );
  const training = new TrainingPanels({ store, log, extensionUri: context.extensionUri, runEvents: runEvents.event });
  const trainingCommands = new TrainingCommands(training, store, () => runDetails.openPanels().find((p) => p.active)?.runId);
  const compare = new ComparePanels({
    store,
    log,
    extensionUri: context.extensionUri,
    checkedRuns,
    openRun: (runId) => runDetails.open(runId),
  });
  const compareCommands = new CompareCommands(compare, store);
  subscriptions.push(training, new TrainingStatusBar(sessions), compare);
  const evaluation = new EvaluationPanels({ store, log, extensionUri: context.extensionUri });
  const evaluationCommands = new EvaluationCommands(evaluation, store, () => runDetails.openPanels().find((p) => p.active)?.runId);
  const models = new ModelsCommands({
    store,
    log,
    cliPath,
    registry: () => modelsTree.list(),
    compareRuns: (runIds) => compare.open({ kind: 'runs', runIds }),
  });
  subscriptions.push(evaluation);

  const serving = new ServingController({ log, cliPath, storePath: () => store.path });
  const responses = new ResponseDocuments();
  subscriptions.push(responses, vscode.workspace.registerTextDocumentContentProvider(RESPONSE_SCHEME, responses));
  const servingCommands = new ServingCommands({ serving, store, log, registry: () => modelsTree.list(), responses });
  const monitoring = new MonitoringPanels({ store, log, extensionUri: context.extensionUri, serving, openRun: (runId) => runDetails.open(runId) });
  const alerts = new AlertNotifier({ store, log, showMonitoring: (model) => monitoring.open(model) });
  const servingStatusBar = new ServingStatusBar(serving);
  subscriptions.push(serving, servingStatusBar, monitoring, alerts);

  const runFinished = new RunFinishedNotifier(sessions, {
    openRun: (runId) => runDetails.open(runId),
    watching: (runId) => vscode.window.state.focused && runDetails.openPanels().some((p) => p.runId === runId && p.active),
  });
  subscriptions.push(runFinished);
  const runTasks = new RunTaskCommands(index, tasks, sessions, log);
  const watch = new WatchController({ log, cliPath, storePath: () => store.path, onRun: () => store.check() });
  const watchCommands = new WatchCommands({ watch, pipelineFor: (arg, title) => runTasks.pipelineFor(arg, title) });
  const watchStatusBar = new WatchStatusBar(watch);
  subscriptions.push(watch, watchStatusBar);
  const runs = new RunsCommands(store, checkedRuns, (runId) => runDetails.open(runId), log);
  const reproduce = new ReproduceRunCommand({ store, tasks, cliPath, log });
  const command = (id: string, handler: (...args: unknown[]) => unknown) => subscriptions.push(registerCommand(id, log, handler));
  command(COMMAND_RUN_PIPELINE, (arg) => runTasks.runPipeline(arg));
  command(COMMAND_RUN_COMPONENT, (arg) => runTasks.runComponent(arg));
  command(COMMAND_CANCEL_RUN, () => runTasks.cancel());
  command(COMMAND_OPEN_RUN, (arg) => runs.openRun(arg));
  command(COMMAND_DELETE_RUN, (arg, selected) => runs.deleteRun(arg, Array.isArray(selected) ? selected : undefined));
  command(COMMAND_REPRODUCE_RUN, (arg) => reproduce.reproduce(arg));
  command(COMMAND_LOAD_MORE, (pipeline) => typeof pipeline === 'string' && runsTree.loadMore(pipeline));
  command(COMMAND_OPEN_ARTIFACT, (arg) => openArtifact(arg));
  command(COMMAND_REVEAL_ARTIFACT, (arg) => revealArtifact(arg));
  command(COMMAND_COPY_ARTIFACT_PATH, (arg) => copyArtifactPath(arg));
  command(COMMAND_SHOW_LOG, () => log.show());
  command(COMMAND_SHOW_LINEAGE, (arg) => lineageCommands.show(arg));
  command(COMMAND_SHOW_ANOMALIES, (arg) => anomalies.show(arg));
  command(COMMAND_SHOW_STATISTICS, (arg) => statisticsCommands.show(arg));
  command(COMMAND_COMPARE_DATASETS, (arg) => statisticsCommands.compare(arg));
  command(COMMAND_SHOW_TRAINING, (arg) => trainingCommands.show(arg));
  command(COMMAND_COMPARE_RUNS, (arg, selected) => compareCommands.compareRuns(arg, selected));
  command(COMMAND_COMPARE_TRIALS, (arg) => compareCommands.compareTrials(arg));
  command(COMMAND_EXPORT_COMPARISON, () => compareCommands.exportComparison());
  command(COMMAND_SHOW_EVALUATION, (arg) => evaluationCommands.show(arg));
  command(COMMAND_PUSH_TO_PRODUCTION, (arg) => models.pushToProduction(arg));
  command(COMMAND_PROMOTE_TO_STAGING, (arg) => models.promoteToStaging(arg));
  command(COMMAND_ROLLBACK_PRODUCTION, (arg) => models.rollbackProduction(arg));
  command(COMMAND_COMPARE_WITH_PRODUCTION, (arg) => models.compareWithProduction(arg));
  command(COMMAND_START_SERVING, (arg) => servingCommands.start(arg));
  command(COMMAND_STOP_SERVING, () => servingCommands.stop());
  command(COMMAND_SEND_TEST_REQUEST, (arg) => servingCommands.sendTestRequest(arg));
  command(COMMAND_WATCH_PIPELINE, (arg) => watchCommands.watch(arg));
  command(COMMAND_STOP_WATCHING, () => watchCommands.stop());
  command(COMMAND_SHOW_MONITORING, (arg) => servingCommands.pickModel(arg, 'Monitor which model?').then((model) => model && monitoring.open(model)));
  command(COMMAND_REFRESH, async () => {
    await index.rescan();
    store.check(true);
    pipelinesTree.refresh();
  });

  log.info(`store: ${store.path ?? '(no workspace folder)'}; trusted: ${vscode.workspace.isTrusted}`);
  const activation =
    typeof __mlopsLoadStart === 'number'
      ? { loadMs: bundleLoaded - __mlopsLoadStart, waitMs: activateStart - bundleLoaded, activateMs: performance.now() - activateStart }
      : undefined;
  if (activation) {
    const { loadMs, waitMs, activateMs } = activation;
    log.info(
      `activated: ${Math.round(loadMs)} ms loading the bundle, ${Math.round(activateMs)} ms in activate (called ${Math.round(waitMs)} ms after the load)`,
    );
  }
  return {
    activation,
    pipelines: index,
    diagnostics,
    store,
    storeDriver,
    runsTree,
    pipelinesTree,
    tasks,
    runDetails,
    lineage,
    anomalies,
    drift,
    statistics,
    training,
    compare,
    evaluation,
    modelsTree,
    serving,
    servingStatusBar,
    watch,
    watchStatusBar,
    monitoring,
    alerts,
    checkedRuns,
    onDidRunEvent: runEvents.event,
  };
}

export function deactivate(): void {
  // Everything is in context.subscriptions; running CLI children get SIGINT from RunSessions.dispose.
}
