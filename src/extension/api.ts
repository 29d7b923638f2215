import type * as vscode from 'vscode';
import type { RunEvent } from '../core/runner/events';
import type { ComparePanels } from './compare/index';
import type { CheckedRuns } from './runs/checkedRuns';
import type { RunsTreeProvider } from './runs/tree';
import type { PipelineIndex } from './pipelines/index';
import type { PipelinesTreeProvider } from './pipelines/tree';
import type { LineagePanels } from './lineage/index';
import type { RunDetailsPanels } from './runDetails/index';
import type { Anomalies } from './anomalies/index';
import type { DriftViewProvider } from './drift/provider';
import type { PipelineDiagnostics } from './diagnostics/index';
import type { EvaluationPanels } from './evaluation/index';
import type { ModelsTreeProvider } from './models/tree';
import type { AlertNotifier } from './monitoring/alertNotifier';
import type { MonitoringPanels } from './monitoring/index';
import type { ServingController } from './serving/controller';
import type { ServingStatusBar } from './serving/statusBar';
import type { StatisticsPanels } from './statistics/index';
import type { WatchController } from './watch/controller';
import type { WatchStatusBar } from './watch/statusBar';
import type { StoreService } from './store/storeService';
import type { DriverInfo } from '../core/store/driver/types';
import type { MlopsTaskProvider } from './tasks/provider';
import type { TrainingPanels } from './training/index';

/**
 * What `activate` returns (`vscode.extensions.getExtension(id).exports`). The extension tests use it
 * to look at the same objects the views use; a future "compare runs" extension point could, too.
 * Import it as a type only: the running extension's instances are the ones that matter.
 */
export interface MlopsExtensionApi {
  readonly pipelines: PipelineIndex;
  /** Problems of pipeline files as diagnostics (`onDidCheckDocument`: an open document's check finished). */
  readonly diagnostics: PipelineDiagnostics;
  readonly store: StoreService;
  /** The SQLite driver found at activation (node:sqlite in every supported VS Code); undefined when none loads. */
  readonly storeDriver: DriverInfo | undefined;
  /**
   * Wall times in ms (undefined outside the bundle): loading the bundle (its first line to its last
   * module), VS Code's wait before calling `activate`, and `activate` itself.
   */
  readonly activation: { loadMs: number; waitMs: number; activateMs: number } | undefined;
  readonly runsTree: RunsTreeProvider;
  readonly pipelinesTree: PipelinesTreeProvider;
  readonly tasks: MlopsTaskProvider;
  readonly runDetails: RunDetailsPanels;
  /** Lineage panels (`openPanels()`: the subject, direction and what the webview drew). */
  readonly lineage: LineagePanels;
  /** Validation results, the anomalies panels, their diagnostics and quick fixes. */
  readonly anomalies: Anomalies;
  /** The Drift side view's provider (`current`: what it last sent). */
  readonly drift: DriftViewProvider;
  /** Data statistics panels (`openPanels()` reports what each one sent and rendered). */
  readonly statistics: StatisticsPanels;
  /** Training-curve panels (`openPanels()`: what each read, sent and the webview drew). */
  readonly training: TrainingPanels;
  /** Compare panels (`openPanels()`: the view each sent, curves sent, what the webview drew). */
  readonly compare: ComparePanels;
  /** Evaluation panels (`openPanels()`: the report each sent, what the webview drew). */
  readonly evaluation: EvaluationPanels;
  /** The Models view's provider (`list()`: the registry as it shows it). */
  readonly modelsTree: ModelsTreeProvider;
  /** The prediction server this window runs (`status()`, `traffic()`), started by Start Serving. */
  readonly serving: ServingController;
  /** Its status bar item (`view()`: the text and tooltip it shows, undefined when hidden). */
  readonly servingStatusBar: ServingStatusBar;
  /** The `mlops watch` this window runs (`status()`), started by Watch Pipeline, and its status bar item. */
  readonly watch: WatchController;
  readonly watchStatusBar: WatchStatusBar;
  /** Monitoring panels, one per model (`openPanels()`: what each sent and the webview drew). */
  readonly monitoring: MonitoringPanels;
  /** Notifications of new monitoring alerts (`shown`: what it showed). */
  readonly alerts: AlertNotifier;
  readonly checkedRuns: CheckedRuns;
  /** Structured events of every run started from this window (the CLI's fd 3). */
  readonly onDidRunEvent: vscode.Event<RunEvent>;
}
