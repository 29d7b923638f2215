export { ModelServer } from './server';
export type { ModelServerOptions } from './startup';
export type { ServeEvent } from './events';
export type { VersionRef, VersionState, VersionStatus } from './versions';
export { servingFolderOf } from './registryFolder';
export { FEEDBACK_LOG, REQUEST_LOG_PREFIX, requestLogFile, type FeedbackRecord, type ServedRecord } from './log';
export { trafficBetween, type TrafficStats } from './traffic';
