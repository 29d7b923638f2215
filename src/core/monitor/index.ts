/**
 * Monitoring of served traffic (issue 6): windows of the server's sampled request log checked
 * against the served version's training statistics, offline predictions and offline evaluation;
 * alerts stored in the run store and the configured actions (notify, retrain, rollback).
 */
export * from './types';
export { fireActions, type ActionDeps } from './actions';
export { alertsOf, checkMessage, comparatorMessage, shortNumber } from './alerts';
export { driftThresholds, featureDrift, predictionDrift, type ThresholdSources } from './drift';
export { evaluateWindow } from './evaluateWindow';
export { addFeedback, readLabelsFile, type LabelValue } from './labels';
export { metricBounds, metricChecks, onlineMetrics, type ModelFacts, type OnlineMetrics } from './onlineMetrics';
export { loadVersionReference, type VersionReference } from './reference';
export { retrainInChildProcess, type RetrainProcess } from './retrain';
export { rowStatistics } from './rowStatistics';
export { MonitorSession, type MonitorSessionOptions, type PassOutcome, type WindowOutcome } from './session';
export { ServingLog } from './servingLog';
export { WindowAssembler, type ServedWindow } from './windows';
