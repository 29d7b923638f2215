import * as path from 'node:path';
import type { ValidationReport } from '../../core/validate/types';

// Moved to the engine (`mlops report` reads them too); the anomalies views import them from here.
export { readValidationReport as readReport, reportFileOf, validationArtifacts } from '../../core/validate/read';

/** A run's validation output as the anomalies views use it (paths absolute). */
export interface RunValidation {
  runId: number;
  pipeline: string;
  pipelineFile: string;
  startedAt: number;
  /** The Anomalies artifact: id and hash tell a changed report from the same one. */
  artifactId: number;
  contentHash: string | null;
  reportFile: string;
  /** The data schema file the run validated against, when known. */
  schemaFile: string | undefined;
  report: ValidationReport;
}

/** The store keeps paths absolute or relative to the workspace (its root); URIs are file URIs. */
export function absolutePath(p: string, root: string): string {
  if (/^file:\/\//i.test(p)) return decodeURIComponent(new URL(p).pathname);
  return path.resolve(root, p);
}
