import { promises as fs } from 'node:fs';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { formatMetric } from '../../util/format';
import type { MetricPoint } from '../../store/types';
import { UserError } from '../../util/problems';

/**
 * Reads the metrics file a custom step wrote: `{ "name": number }` or `{ "name": [number, ...] }`
 * (one value per step, e.g. per epoch).
 */
export async function readStepMetrics(file: string, stepName: string): Promise<MetricPoint[]> {
  const text = await fs.readFile(file, 'utf8');
  // jsonc-parser because JSON.parse on Node 20 does not say where the error is.
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length) {
    const [first] = errors;
    throw UserError.at(`step '${stepName}' wrote a metrics file that is not valid JSON (${printParseErrorCode(first.error)})`, {
      file,
      ...lineColumn(text, first.offset),
    });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw UserError.at(`step '${stepName}' wrote metrics that are not a JSON object`, { file }, 'write { "accuracy": 0.91, "loss": [0.7, 0.5, 0.4] }');
  }
  const points: MetricPoint[] = [];
  const now = Date.now();
  for (const [key, v] of Object.entries(value)) {
    const values = Array.isArray(v) ? v : [v];
    values.forEach((x, step) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) {
        throw UserError.at(`metric '${key}' must be a finite number or a list of numbers, found ${JSON.stringify(x)}`, { file, field: key });
      }
      points.push({ key, value: x, step, timestamp: now });
    });
  }
  return points;
}

/**
 * The step's line in the run's progress: the first keys with their latest value, as `mlops runs show`
 * lists them, saying so when a key is a series ("tip_rate 0.3115 (last of 7)").
 */
export function stepMetricsSummary(points: readonly MetricPoint[], keys = 4): string {
  const latest = new Map<string, { value: number; count: number }>();
  for (const point of points) {
    const seen = latest.get(point.key);
    latest.set(point.key, { value: point.value, count: (seen?.count ?? 0) + 1 });
  }
  return [...latest]
    .slice(0, keys)
    .map(([key, { value, count }]) => `${key} ${formatMetric(value)}${count > 1 ? ` (last of ${count})` : ''}`)
    .join(' · ');
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}
