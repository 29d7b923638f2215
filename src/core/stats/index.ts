/**
 * Dataset statistics (TFDV conventions, REFERENCE.md "Statistics") with mergeable sketches:
 * computed from the examples artifact or straight from CSV, written as `statistics.json`.
 */
export * from './types';
export { computeStatistics, PARALLEL_MIN_ROWS, type StatisticsOptions, type StatisticsProgress } from './examplesStatistics';
export { computeCsvStatistics, type CsvStatisticsOptions } from './csvStatistics';
export { readStatistics, writeStatistics } from './file';
export { quantileView, type QuantileView } from './quantiles';
export { categoricalCounts } from './counts';
