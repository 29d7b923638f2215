import { HttpError } from './http';
import type { VersionRef } from './versions';

/** What a request asks for; `endpoint` is also the label requests are counted under in /metrics. */
export type Endpoint =
  | 'tfserving_status'
  | 'tfserving_metadata'
  | 'tfserving_predict'
  | 'feedback'
  | 'v2_live'
  | 'v2_ready'
  | 'v2_server'
  | 'v2_model'
  | 'v2_model_ready'
  | 'v2_infer'
  | 'mlflow_invocations'
  | 'mlflow_health'
  | 'metrics';

export interface Route {
  endpoint: Endpoint;
  /** The model named in the URL. */
  model?: string;
  ref: VersionRef;
}

const DEFAULT: VersionRef = { kind: 'default' };
const FIXED: Record<string, { method: string; endpoint: Endpoint }> = {
  '/v2/health/live': { method: 'GET', endpoint: 'v2_live' },
  '/v2/health/ready': { method: 'GET', endpoint: 'v2_ready' },
  '/v2': { method: 'GET', endpoint: 'v2_server' },
  '/invocations': { method: 'POST', endpoint: 'mlflow_invocations' },
  '/ping': { method: 'GET', endpoint: 'mlflow_health' },
  '/health': { method: 'GET', endpoint: 'mlflow_health' },
  '/metrics': { method: 'GET', endpoint: 'metrics' },
};

// TF Serving: /v1/models/{name}[/versions/{v} | /labels/{alias}][/metadata | :predict], and /v1/models/{name}/feedback.
const V1 = /^\/v1\/models\/([^/:]+)(?:\/(versions|labels)\/([^/:]+))?(\/metadata|:predict|\/feedback)?$/;
// Open Inference Protocol: /v2/models/{name}[/versions/{v}][/ready | /infer].
const V2 = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/ready|\/infer)?$/;

/** The route of a request, or a 404/405 that says what exists. */
export function route(method: string, pathname: string): Route {
  const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  const fixed = FIXED[path];
  if (fixed) return checked(method, fixed.method, { endpoint: fixed.endpoint, ref: DEFAULT });
  const v1 = V1.exec(path);
  if (v1) {
    const [, name, kind, which, action] = v1;
    if (action === '/feedback' && kind) throw new HttpError(404, `feedback goes to /v1/models/${name}/feedback (for whichever version answered)`);
    const ref: VersionRef = !kind ? DEFAULT : kind === 'labels' ? { kind: 'alias', alias: decode(which) } : { kind: 'version', version: versionNumber(which) };
    const endpoint: Endpoint =
      action === ':predict' ? 'tfserving_predict' : action === '/metadata' ? 'tfserving_metadata' : action === '/feedback' ? 'feedback' : 'tfserving_status';
    return checked(method, endpoint === 'tfserving_predict' || endpoint === 'feedback' ? 'POST' : 'GET', { endpoint, model: decode(name), ref });
  }
  const v2 = V2.exec(path);
  if (v2) {
    const [, name, which, action] = v2;
    // A v2 version is a string: digits name a version, anything else an alias.
    const ref: VersionRef =
      which === undefined ? DEFAULT : /^\d+$/.test(which) ? { kind: 'version', version: versionNumber(which) } : { kind: 'alias', alias: decode(which) };
    const endpoint: Endpoint = action === '/infer' ? 'v2_infer' : action === '/ready' ? 'v2_model_ready' : 'v2_model';
    return checked(method, endpoint === 'v2_infer' ? 'POST' : 'GET', { endpoint, model: decode(name), ref });
  }
  throw new HttpError(
    404,
    `no endpoint ${pathname}; try POST /v1/models/{model}:predict, POST /v2/models/{model}/infer, POST /invocations, GET /v1/models/{model}, GET /metrics`,
  );
}

function checked(method: string, allowed: string, r: Route): Route {
  if (method === allowed || (method === 'HEAD' && allowed === 'GET')) return r;
  throw new HttpError(405, `${method} is not allowed here; use ${allowed}`, { allow: allowed });
}

function versionNumber(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n <= 0) {
    throw new HttpError(400, `'${text}' is not a version number; name an alias with /labels/${text}`);
  }
  return n;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new HttpError(400, `'${text}' is not a valid URL path segment`);
  }
}
