import { cellType, widen, type ColumnType, type MissingTest } from './cells';
import type { CsvRecord } from './csv';

/** One running type per column; undefined while only missing cells have been seen. */
export type RunningTypes = (ColumnType | undefined)[];

/**
 * Widens `types` with the cells of `records`. `fieldOf[c]` is the field that holds column c in
 * this file, or -1 when the file lacks the column (serving data without the label). Column-major,
 * so a column that has already become a string costs nothing more.
 */
export function widenTypes(types: RunningTypes, records: readonly CsvRecord[], fieldOf: readonly number[], isMissing: MissingTest): void {
  for (let c = 0; c < types.length; c++) {
    const field = fieldOf[c];
    let type = types[c];
    if (field < 0 || type === 'string') continue;
    for (let r = 0; r < records.length && type !== 'string'; r++) {
      const text = records[r].fields[field];
      if (!isMissing(text)) type = widen(type, cellType(text));
    }
    types[c] = type;
  }
}

/** A column with no value anywhere is typed string, the widest type: it claims nothing the data did not show. */
export function finalTypes(types: RunningTypes): ColumnType[] {
  return types.map((t) => t ?? 'string');
}
