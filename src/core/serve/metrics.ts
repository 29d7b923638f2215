/**
 * The server's Prometheus metrics (text exposition format 0.0.4): requests and errors by endpoint
 * and status code, a latency histogram per endpoint, rows predicted per version, and the model's
 * state (served version, loaded versions, swaps) read when scraped.
 */

import type { TrafficCounters } from './traffic';

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Endpoints that predict: what traffic is. */
const PREDICTION_ENDPOINTS: ReadonlySet<string> = new Set(['tfserving_predict', 'v2_infer', 'mlflow_invocations']);

/** Seconds; single-row predictions on loopback land in the first few. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

export interface ModelState {
  model: string;
  /** The version un-versioned requests get; undefined while none is loaded. */
  defaultVersion: number | undefined;
  loaded: readonly number[];
  swaps: number;
  loadFailures: number;
  /** Log records dropped because the log could not keep up or be written. */
  logDropped: number;
}

export class ServeMetrics {
  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();
  private readonly rows = new Map<number, number>();
  private readonly traffic = { requests: 0, errors: 0, rows: 0, buckets: new Array<number>(BUCKETS.length + 1).fill(0) };

  observe(endpoint: string, status: number, seconds: number): void {
    const key = `${endpoint}\u0000${status}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    let h = this.latency.get(endpoint);
    if (!h) this.latency.set(endpoint, (h = { counts: new Array(BUCKETS.length).fill(0), sum: 0, count: 0 }));
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) h.counts[i]++;
    h.sum += seconds;
    h.count++;
    if (PREDICTION_ENDPOINTS.has(endpoint)) {
      this.traffic.requests++;
      if (status >= 400) this.traffic.errors++;
      const bucket = BUCKETS.findIndex((b) => seconds <= b);
      this.traffic.buckets[bucket === -1 ? BUCKETS.length : bucket]++;
    }
  }

  predicted(version: number, rows: number): void {
    this.rows.set(version, (this.rows.get(version) ?? 0) + rows);
    this.traffic.rows += rows;
  }

  /** The prediction traffic so far, for rates over an interval (trafficBetween). */
  trafficCounters(at: number): TrafficCounters {
    return { at, requests: this.traffic.requests, errors: this.traffic.errors, rows: this.traffic.rows, buckets: [...this.traffic.buckets], bounds: BUCKETS };
  }

  render(state: ModelState): string {
    const model = `model="${escapeLabel(state.model)}"`;
    const out: string[] = [];
    const requests = [...this.requests].map(([key, n]) => {
      const [endpoint, code] = key.split('\u0000');
      return { labels: `endpoint="${endpoint}",code="${code}"`, n, error: Number(code) >= 400 };
    });
    family(
      out,
      'mlops_serve_requests_total',
      'counter',
      'HTTP requests by endpoint and status code.',
      requests.map((r) => `{${r.labels}} ${r.n}`),
    );
    family(
      out,
      'mlops_serve_request_errors_total',
      'counter',
      'HTTP requests answered with a 4xx or 5xx status.',
      requests.filter((r) => r.error).map((r) => `{${r.labels}} ${r.n}`),
    );
    out.push(
      '# HELP mlops_serve_request_duration_seconds Time from receiving a request to sending its response.',
      '# TYPE mlops_serve_request_duration_seconds histogram',
    );
    for (const [endpoint, h] of this.latency) {
      const e = `endpoint="${endpoint}"`;
      BUCKETS.forEach((b, i) => out.push(`mlops_serve_request_duration_seconds_bucket{${e},le="${b}"} ${h.counts[i]}`));
      out.push(`mlops_serve_request_duration_seconds_bucket{${e},le="+Inf"} ${h.count}`);
      out.push(`mlops_serve_request_duration_seconds_sum{${e}} ${h.sum}`, `mlops_serve_request_duration_seconds_count{${e}} ${h.count}`);
    }
    family(
      out,
      'mlops_serve_rows_predicted_total',
      'counter',
      'Rows predicted, by model version.',
      [...this.rows].map(([v, n]) => `{${model},version="${v}"} ${n}`),
    );
    family(out, 'mlops_serve_model_version', 'gauge', 'The version answering requests that name no version (0: none loaded).', [
      `{${model}} ${state.defaultVersion ?? 0}`,
    ]);
    family(
      out,
      'mlops_serve_model_loaded',
      'gauge',
      'Loaded model versions (1 each).',
      state.loaded.map((v) => `{${model},version="${v}"} 1`),
    );
    family(out, 'mlops_serve_model_swaps_total', 'counter', 'Changes of the default version after the first load.', [`{${model}} ${state.swaps}`]);
    family(out, 'mlops_serve_model_load_failures_total', 'counter', 'Versions whose package could not be loaded.', [`{${model}} ${state.loadFailures}`]);
    family(out, 'mlops_serve_log_dropped_total', 'counter', 'Request log records dropped (log behind or not writable).', [`{${model}} ${state.logDropped}`]);
    return out.join('\n') + '\n';
  }
}

function family(out: string[], name: string, type: string, help: string, samples: string[]): void {
  out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples.map((s) => name + s));
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
