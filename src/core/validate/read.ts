import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { LinkedArtifact, RunDetails } from '../store/types';
import type { ValidationReport } from './types';

/**
 * Reading the `Anomalies` artifact back (the editor's anomalies views, `mlops report`): the file
 * src/core/validate/report.ts writes, checked before anyone renders it.
 */

export const ANOMALIES_ARTIFACT = 'Anomalies';
export const SCHEMA_ARTIFACT = 'Schema';
export const REPORT_FILE = 'anomalies.json';

/** The run's live Anomalies output and its Schema artifact (an output of schema inference or the curated input). */
export function validationArtifacts(d: RunDetails): { anomalies: LinkedArtifact; schema: LinkedArtifact | undefined } | undefined {
  const live = d.artifacts.filter((a) => a.state === 'live');
  const anomalies = live.filter((a) => a.type === ANOMALIES_ARTIFACT && a.role === 'output').at(-1);
  if (!anomalies) return undefined;
  const schemas = live.filter((a) => a.type === SCHEMA_ARTIFACT);
  const schema = schemas.find((a) => a.role === 'output') ?? schemas[0];
  return { anomalies, schema };
}

/** An Anomalies artifact is a folder holding anomalies.json; a bare file is accepted too. */
export function reportFileOf(artifactPath: string): string {
  return artifactPath.toLowerCase().endsWith('.json') ? artifactPath : path.join(artifactPath, REPORT_FILE);
}

export async function readValidationReport(file: string): Promise<ValidationReport> {
  const data: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (!isValidationReport(data)) throw new Error(`${file} is not an anomalies report (format mlops-anomalies, version 1)`);
  return data;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A shape check of what the views read; lenient about extra fields so a newer engine's report
 * still shows. Malformed entries are a reason to refuse the file, not to render half of it.
 */
export function isValidationReport(v: unknown): v is ValidationReport {
  if (!isObj(v) || v.format !== 'mlops-anomalies' || v.version !== 1) return false;
  if (typeof v.environment !== 'string' && v.environment !== undefined) return false;
  const anomalies = Array.isArray(v.anomalies) && v.anomalies.every(isAnomaly);
  const results = (r: unknown) => Array.isArray(r) && r.every(isComparator);
  if (v.environment === undefined) v.environment = '';
  v.drift ??= [];
  v.skew ??= [];
  return anomalies && results(v.drift) && results(v.skew);
}

function isAnomaly(a: unknown): boolean {
  return (
    isObj(a) &&
    (a.feature === null || typeof a.feature === 'string') &&
    typeof a.type === 'string' &&
    (a.severity === 'error' || a.severity === 'warning') &&
    typeof a.shortDescription === 'string' &&
    typeof a.description === 'string' &&
    typeof a.dataset === 'string' &&
    (a.details === undefined || isObj(a.details))
  );
}

function isComparator(r: unknown): boolean {
  return (
    isObj(r) &&
    typeof r.feature === 'string' &&
    (r.kind === 'drift' || r.kind === 'skew') &&
    typeof r.method === 'string' &&
    typeof r.value === 'number' &&
    typeof r.fired === 'boolean' &&
    typeof r.current === 'string' &&
    typeof r.reference === 'string'
  );
}
