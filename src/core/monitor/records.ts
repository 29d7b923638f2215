import type { FeedbackRecord, ServedRecord } from '../serve/log';

/**
 * One line of the request log or the feedback log, checked field by field: a line another program
 * wrote, a half-written line or a hand edit is a reason (reported with file:line), never a crash.
 */
export function parseServedRecord(line: string): ServedRecord | string {
  const value = parseObject(line);
  if (typeof value === 'string') return value;
  const problem =
    field(value, 'id', 'a string', isText) ??
    field(value, 'at', 'a time in epoch milliseconds', isFiniteNumber) ??
    field(value, 'version', 'a version number', (v) => Number.isInteger(v) && (v as number) > 0) ??
    field(value, 'inputs', 'an object of feature values', isInputs) ??
    field(value, 'score', 'a number', isFiniteNumber) ??
    (value.label !== undefined && typeof value.label !== 'string' ? "'label' is not a string" : undefined);
  return problem ?? (value as unknown as ServedRecord);
}

export function parseFeedbackRecord(line: string): FeedbackRecord | string {
  const value = parseObject(line);
  if (typeof value === 'string') return value;
  const problem =
    field(value, 'id', 'a string', isText) ??
    field(value, 'label', 'a string, number or boolean', (v) => typeof v === 'string' || typeof v === 'boolean' || isFiniteNumber(v)) ??
    field(value, 'at', 'a time in epoch milliseconds', isFiniteNumber);
  return problem ?? (value as unknown as FeedbackRecord);
}

function parseObject(line: string): Record<string, unknown> | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    return `not JSON (${(e as Error).message})`;
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : 'not a JSON object';
}

function field(value: Record<string, unknown>, name: string, expected: string, ok: (v: unknown) => boolean): string | undefined {
  if (!(name in value)) return `no '${name}'`;
  return ok(value[name]) ? undefined : `'${name}' is not ${expected}`;
}

const isText = (v: unknown) => typeof v === 'string' && v.length > 0;
const isFiniteNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

function isInputs(v: unknown): boolean {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  return Object.values(v).every((x) => x === null || typeof x === 'string' || typeof x === 'boolean' || typeof x === 'number');
}
