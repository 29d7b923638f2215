import { closest } from '../util/closest';
import type { Problem, SourceLocation } from '../util/problems';
import type { PipelineConfig } from './config';

/** One place the pipeline file names a column, with where it is written and what names it. */
export interface ColumnReference {
  column: string;
  /** Where in the file, as the message names it: `transform`, `evaluate.slices`, ... */
  where: string;
  location: SourceLocation;
}

/**
 * Every column the pipeline file names outside expressions (derived expressions are checked by
 * their own parser): the label, exclusions, environments, transforms and crosses, statistics
 * slices and categorical columns, drift and skew comparators, evaluation slices and sensitive
 * features.
 */
export function columnReferences(config: PipelineConfig): ColumnReference[] {
  const refs: ColumnReference[] = [];
  const add = (column: string, where: string, location: SourceLocation) => refs.push({ column, where, location });
  if (config.label) add(config.label.value, 'label', config.label.location);
  for (const excluded of config.features.exclude) add(excluded.value, 'features.exclude', excluded.location);
  for (const [environment, columns] of Object.entries(config.environments)) {
    for (const c of columns) add(c.value, `environments.${environment}.exclude`, c.location);
  }
  for (const { value: spec, location } of config.transform?.features ?? []) {
    if (spec.kind === 'cross') for (const column of spec.columns) add(column, `transform cross '${spec.name}'`, location);
    else add(spec.column, 'transform', location);
  }
  if (config.statistics) {
    for (const slice of config.statistics.slices) for (const column of slice) add(column, 'statistics.slices', config.statistics.location);
    for (const column of config.statistics.categorical) add(column, 'statistics.categorical', config.statistics.location);
  }
  if (config.validate) {
    for (const column of Object.keys(config.validate.drift)) add(column, 'validate.drift', config.validate.location);
    for (const column of Object.keys(config.validate.skew)) add(column, 'validate.skew', config.validate.location);
  }
  for (const { value: slice, location } of config.evaluate?.slices ?? []) {
    for (const column of slice.features) add(column, 'evaluate.slices', location);
  }
  for (const { value: columns, location } of config.evaluate?.fairness?.sensitive ?? []) {
    for (const column of columns) add(column, 'evaluate.fairness.sensitive', location);
  }
  return refs;
}

/** Each reference to a column the data does not have, all in one pass, with the closest name. */
export function unknownColumnProblems(config: PipelineConfig, available: readonly string[]): Problem[] {
  const known = new Set(available);
  return columnReferences(config)
    .filter((ref) => !known.has(ref.column))
    .map((ref) => {
      const guess = closest(ref.column, known);
      return {
        severity: 'error' as const,
        message: `${ref.where}: no column named '${ref.column}'`,
        location: ref.location,
        hint: guess ? `did you mean '${guess}'?` : `the columns are ${available.join(', ')}`,
        ...(guess && { suggestion: { text: ref.column, replacement: guess } }),
      };
    });
}
