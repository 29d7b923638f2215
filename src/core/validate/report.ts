import { writeFileAtomic } from '../util/atomic';
import type { ValidationReport } from './types';

/** Writes the `Anomalies` artifact (`anomalies.json`): pretty, and never seen half-written. */
export async function writeValidationReport(file: string, report: ValidationReport): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(report, null, 2) + '\n');
}
