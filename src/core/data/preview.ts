import { unknownColumnProblems } from '../pipeline/columnReferences';
import type { PipelineConfig } from '../pipeline/config';
import { formatLocation, isUserError, type Problem } from '../util/problems';
import { missingTest } from './cells';
import { readCsv } from './csv';
import { planColumns } from './derive';
import { finalTypes, widenTypes, type RunningTypes } from './infer';
import { planSources } from './sources';

const PREVIEW_ROWS = 1000;
const PREVIEW_CHUNK = 64 * 1024;

/** The problems of a check that stops at its first, less those already reported at the same place. */
function notAlreadyReported(reported: readonly Problem[], check: () => unknown): Problem[] {
  try {
    check();
    return [];
  } catch (e) {
    if (!isUserError(e)) throw e;
    const at = (p: Problem) => `${p.location?.line}:${p.location?.column}`;
    const seen = new Set(reported.map(at));
    return e.problems.filter((p) => !seen.has(at(p)));
  }
}

/**
 * Checks what the pipeline file says about columns (every column it names, all in one pass, and
 * the derived expressions) against the header and first rows of the first training span: a
 * misspelt column shows in the editor as you type instead of after a run. Ingest and the
 * components check the same against every row.
 */
export async function dataProblems(config: PipelineConfig): Promise<Problem[]> {
  try {
    const { sources } = await planSources(config.data);
    const isMissing = missingTest(config.data.missing);
    let columns: readonly string[] | undefined;
    let types: RunningTypes = [];
    let seen = 0;
    const csv = { delimiter: config.data.delimiter, columns: config.data.columns, trim: true, chunkSize: PREVIEW_CHUNK };
    for await (const batch of readCsv(sources[0].file, csv)) {
      if (!columns) {
        columns = batch.columns;
        types = new Array(columns.length).fill(undefined);
      }
      const records = batch.records.slice(0, PREVIEW_ROWS - seen);
      widenTypes(
        types,
        records,
        columns.map((_, i) => i),
        isMissing,
      );
      seen += records.length;
      if (seen >= PREVIEW_ROWS) break;
    }
    const typed = finalTypes(types);
    const header = columns ?? [];
    const unknown = unknownColumnProblems(config, [...header, ...config.features.derive.map((d) => d.name)]);
    return [
      ...unknown,
      ...notAlreadyReported(unknown, () =>
        planColumns(
          header.map((name, i) => ({ name, type: typed[i] })),
          config.features,
          config.label,
        ),
      ),
    ];
  } catch (e) {
    if (!isUserError(e)) throw e;
    // A problem inside a data file (empty, no header) is shown on the line that names the data.
    return e.problems.map((p) =>
      p.location?.file === config.file
        ? p
        : { ...p, message: `${p.location ? formatLocation(p.location) + ': ' : ''}${p.message}`, location: config.data.train.location },
    );
  }
}
