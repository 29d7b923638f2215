import type { TrafficPoint } from '../../shared/monitoring';
import type { ServingStatus } from './source';

/** A rate for a status bar: 0, 0.4, 7, 12, 980, 1.2k, 12k, 3.4M. */
export function formatRate(perSecond: number): string {
  const v = Math.max(0, perSecond);
  if (v === 0) return '0';
  if (v < 0.05) return '<0.1';
  if (v < 10) return oneDecimal(v);
  if (v < 999.5) return String(Math.round(v));
  if (v < 1e4) return `${oneDecimal(v / 1e3)}k`;
  if (v < 1e6) return `${Math.round(v / 1e3)}k`;
  return `${oneDecimal(v / 1e6)}M`;
}

function formatMs(ms: number): string {
  return ms < 10 ? `${oneDecimal(ms)} ms` : `${Math.round(ms)} ms`;
}

/** 0.4, 1.2, 7 (not 7.0). */
const oneDecimal = (v: number) => v.toFixed(1).replace(/\.0$/, '');

/** The status bar item's text: what serves, at what rate, or why it does not. */
export function servingStatusText(status: ServingStatus, last: TrafficPoint | undefined): string {
  switch (status.state) {
    case 'starting':
      return `$(loading~spin) Starting ${status.model}…`;
    case 'stopping':
      return `$(loading~spin) Stopping ${status.model}…`;
    case 'serving': {
      const version = status.version === null ? 'no version yet' : `v${status.version}`;
      return `$(radio-tower) ${status.model} ${version} · ${formatRate(last?.requestsPerSecond ?? 0)} req/s`;
    }
    case 'stopped':
    case 'failed':
      return `$(error) ${status.model} not serving`;
  }
}

/** The short message when another version takes the traffic (a push, a rollback). */
export function swapMessage(model: string, from: number | null, to: number): string {
  return from === null ? `${model} now serves v${to}` : `${model} now serves v${to} (was v${from})`;
}

/** The endpoints a user would call, for the tooltip. */
export function servingEndpoints(url: string, model: string): [string, string][] {
  return [
    ['TF Serving predict', `POST ${url}/v1/models/${model}:predict`],
    ['Open Inference v2', `POST ${url}/v2/models/${model}/infer`],
    ['Signature', `GET ${url}/v1/models/${model}/metadata`],
  ];
}

/** The tooltip's rows (label, plain text), most important first. */
export function servingTooltipRows(status: ServingStatus, last: TrafficPoint | undefined): [string, string][] {
  const rows: [string, string][] = [];
  if (status.url) rows.push(['URL', status.url], ...servingEndpoints(status.url, status.model));
  if (status.state === 'serving') {
    if (last) {
      rows.push(['Requests', `${formatRate(last.requestsPerSecond)}/s · ${formatRate(last.rowsPerSecond)} rows/s`]);
      rows.push([
        'Latency',
        last.p50Ms === null || last.p99Ms === null ? 'no requests in the last second' : `p50 ${formatMs(last.p50Ms)} · p99 ${formatMs(last.p99Ms)}`,
      ]);
      const share = last.requestsPerSecond > 0 ? ` (${Math.round((100 * last.errorsPerSecond) / last.requestsPerSecond)}% of requests)` : '';
      rows.push(['Errors', `${formatRate(last.errorsPerSecond)}/s${share}`]);
    }
    rows.push(['Monitoring', status.monitoring ? 'mlops monitor --follow is running' : 'not running']);
  }
  if (status.logDir) rows.push(['Request log', status.logDir]);
  if (status.error) rows.push([status.state === 'serving' ? 'Problem' : 'Error', status.error]);
  return rows;
}

/** The tooltip's first line. */
export function servingHeadline(status: ServingStatus): string {
  switch (status.state) {
    case 'starting':
      return `Starting the prediction server for ${status.model}`;
    case 'stopping':
      return `Stopping the prediction server of ${status.model}`;
    case 'serving':
      return status.version === null ? `Serving ${status.model}: no version can be served yet` : `Serving ${status.model}@${status.version}`;
    case 'stopped':
      return `${status.model} is not served: the server stopped`;
    case 'failed':
      return `${status.model} is not served: the server failed`;
  }
}
