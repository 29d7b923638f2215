/**
 * The tracking protocol: how a step's own code (Python, Node, any language) reports what it does
 * while it runs. One JSON object per line, written to the file descriptor named by
 * `MLOPS_TRACKING_FD` (the runner opens it as a pipe and is the only writer of the store):
 *
 *   {"type": "params", "values": {"learning_rate": 0.01, "layers": "64,32"}}
 *   {"type": "metrics", "values": {"loss": 0.31, "auc": 0.88}, "step": 3}
 *   {"type": "tags", "values": {"framework": "torch"}}
 *
 * `step` is optional (an integer ≥ 0); `at` (epoch milliseconds) may say when a point was measured.
 *   {"type": "artifact", "path": "/abs/report.html", "name": "report"}
 *   {"type": "model", "path": "/abs/model.onnx", "flavor": "onnx", "name": "model", "signature": {…}}
 *
 * A step's logged artifacts and models become outputs of its execution when it succeeds.
 * A run recorded outside a pipeline (`mlops track`) ends with `{"type": "end", "status": "complete"}`
 * (or `"failed"` with an `"error"`); in a step, the command's exit code says how it ended.
 * Parameters and tags are stored as text. A line that breaks these rules is reported with its number
 * and skipped; the lines around it still count.
 */

export interface TrackedMetrics {
  type: 'metrics';
  values: Record<string, number>;
  step?: number;
  at?: number;
}

export interface TrackedKeyValues {
  type: 'params' | 'tags';
  values: Record<string, string>;
}

export interface TrackedEnd {
  type: 'end';
  status: 'complete' | 'failed';
  error?: string;
}

/** A file or folder the step made: an output of its execution (a `Model` for `type: model`). */
export interface TrackedArtifact {
  type: 'artifact' | 'model';
  path: string;
  name: string;
  flavor?: ModelFlavor;
  signature?: Record<string, unknown>;
}

export const MODEL_FLAVORS = ['onnx', 'tfjs'] as const;
export type ModelFlavor = (typeof MODEL_FLAVORS)[number];

export type TrackingRecord = TrackedMetrics | TrackedKeyValues | TrackedEnd | TrackedArtifact;

/** A parsed line, or why it cannot be used (`skipped`: the keys left out of a line that is otherwise kept). */
export type ParsedLine = { record: TrackingRecord; skipped: string[] } | { problem: string };

const KEY = /^[\w.\-/ :]{1,250}$/;

export function parseTrackingLine(line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { problem: `not JSON: ${preview(line)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: `not a JSON object: ${preview(line)}` };
  const o = value as Record<string, unknown>;
  if (o.type === 'end') {
    if (o.status !== 'complete' && o.status !== 'failed') return { problem: `"status" of an end must be complete or failed, not ${JSON.stringify(o.status)}` };
    return { record: { type: 'end', status: o.status, ...(typeof o.error === 'string' ? { error: o.error } : {}) }, skipped: [] };
  }
  if (o.type === 'artifact' || o.type === 'model') return artifact(o);
  if (typeof o.values !== 'object' || o.values === null || Array.isArray(o.values)) return { problem: `"values" must be an object of key → value` };
  const entries = Object.entries(o.values as Record<string, unknown>);
  const badKey = entries.find(([k]) => !KEY.test(k));
  if (badKey) return { problem: `bad key ${JSON.stringify(badKey[0])}: use letters, digits, _ . - / : and spaces (at most 250)` };
  switch (o.type) {
    case 'metrics':
      return metrics(o, entries);
    case 'params':
    case 'tags':
      return { record: { type: o.type, values: Object.fromEntries(entries.map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])) }, skipped: [] };
    default:
      return { problem: `unknown "type" ${JSON.stringify(o.type)}: use metrics, params, tags, artifact, model or end` };
  }
}

function metrics(o: Record<string, unknown>, entries: [string, unknown][]): ParsedLine {
  if (o.step !== undefined && !(Number.isInteger(o.step) && (o.step as number) >= 0))
    return { problem: `"step" must be a whole number ≥ 0, not ${JSON.stringify(o.step)}` };
  if (o.at !== undefined && !Number.isFinite(o.at)) return { problem: `"at" must be epoch milliseconds, not ${JSON.stringify(o.at)}` };
  const values: Record<string, number> = {};
  const skipped: string[] = [];
  for (const [key, v] of entries) {
    // JSON has no NaN or Infinity: a client sends them as null or as text, and they are not plotted.
    if (typeof v === 'number' && Number.isFinite(v)) values[key] = v;
    else skipped.push(`${key} = ${JSON.stringify(v)} (metrics are finite numbers)`);
  }
  const record: TrackedMetrics = { type: 'metrics', values };
  if (o.step !== undefined) record.step = o.step as number;
  if (o.at !== undefined) record.at = o.at as number;
  return { record, skipped };
}

function artifact(o: Record<string, unknown>): ParsedLine {
  const kind = o.type as 'artifact' | 'model';
  if (typeof o.path !== 'string' || !o.path) return { problem: `an ${kind} needs its "path"` };
  const name = o.name ?? (kind === 'model' ? 'model' : o.path.split(/[\\/]/).filter(Boolean).pop());
  if (typeof name !== 'string' || !KEY.test(name)) return { problem: `bad ${kind} name ${JSON.stringify(name)}: use letters, digits, _ . - / : and spaces` };
  const record: TrackedArtifact = { type: kind, path: o.path, name };
  if (kind === 'model') {
    if (!MODEL_FLAVORS.includes(o.flavor as ModelFlavor))
      return { problem: `model "${name}": "flavor" must be ${MODEL_FLAVORS.join(' or ')}, not ${JSON.stringify(o.flavor)}` };
    record.flavor = o.flavor as ModelFlavor;
    if (o.signature !== undefined) {
      if (typeof o.signature !== 'object' || o.signature === null || Array.isArray(o.signature))
        return { problem: `model "${name}": "signature" must be an object` };
      record.signature = o.signature as Record<string, unknown>;
    }
  }
  return { record, skipped: [] };
}

function preview(line: string): string {
  return line.length > 80 ? `${line.slice(0, 80)}…` : line;
}
