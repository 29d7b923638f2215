import { promises as fs } from 'node:fs';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
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
    throw UserError.at(
      `step '${stepName}' wrote a metrics file that is not valid JSON (${printParseErrorCode(first.error)})`,
      { file, ...lineColumn(text, first.offset) },
    );
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

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}
