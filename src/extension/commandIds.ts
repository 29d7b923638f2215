/**
 * Every command the extension contributes (package.json `contributes.commands`), in one place;
 * test/views/commandIds.test.ts checks this list against the manifest, both ways.
 */
export const COMMAND_COPY_ARTIFACT_PATH = 'mlops.artifact.copyPath';
export const COMMAND_OPEN_ARTIFACT = 'mlops.artifact.open';
export const COMMAND_REVEAL_ARTIFACT = 'mlops.artifact.reveal';
export const COMMAND_CANCEL_RUN = 'mlops.cancelRun';
export const COMMAND_COMPARE_DATASETS = 'mlops.compareDatasets';
export const COMMAND_COMPARE_RUNS = 'mlops.compareRuns';
export const COMMAND_COMPARE_TRIALS = 'mlops.compareTrials';
export const COMMAND_COMPARE_WITH_PRODUCTION = 'mlops.compareWithProduction';
export const COMMAND_DELETE_RUN = 'mlops.deleteRun';
export const COMMAND_EXPORT_COMPARISON = 'mlops.exportComparison';
export const COMMAND_OPEN_RUN = 'mlops.openRun';
export const COMMAND_PROMOTE_TO_STAGING = 'mlops.promoteToStaging';
export const COMMAND_PUSH_TO_PRODUCTION = 'mlops.pushToProduction';
export const COMMAND_REFRESH = 'mlops.refresh';
export const COMMAND_REPRODUCE_RUN = 'mlops.reproduceRun';
export const COMMAND_ROLLBACK_PRODUCTION = 'mlops.rollbackProduction';
export const COMMAND_RUN_COMPONENT = 'mlops.runComponent';
export const COMMAND_RUN_PIPELINE = 'mlops.runPipeline';
export const COMMAND_LOAD_MORE = 'mlops.runs.loadMore';
export const COMMAND_SEND_TEST_REQUEST = 'mlops.sendTestRequest';
export const COMMAND_SHOW_ANOMALIES = 'mlops.showAnomalies';
export const COMMAND_SHOW_EVALUATION = 'mlops.showEvaluation';
export const COMMAND_SHOW_LINEAGE = 'mlops.showLineage';
export const COMMAND_SHOW_LOG = 'mlops.showLog';
export const COMMAND_SHOW_MONITORING = 'mlops.showMonitoring';
export const COMMAND_SHOW_STATISTICS = 'mlops.showStatistics';
export const COMMAND_SHOW_TRAINING = 'mlops.showTrainingCurves';
export const COMMAND_START_SERVING = 'mlops.startServing';
export const COMMAND_STOP_SERVING = 'mlops.stopServing';
export const COMMAND_STOP_WATCHING = 'mlops.stopWatching';
export const COMMAND_WATCH_PIPELINE = 'mlops.watchPipeline';
