export { evaluateModel } from './evaluate';
export { defaultDirection, FAIRNESS_METRICS, higherIsBetter, isKnownMetricName, metricNamesFor } from './metricNames';
export * from './types';
