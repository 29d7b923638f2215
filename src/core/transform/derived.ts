import type { Value } from '../data/cells';
import type { ColumnMeta } from '../data/examples';
import { compileExpression, parseExpression, referencedColumns, type Evaluator } from '../expr';
import type { DerivedColumn, FittedTransform } from './types';

/** The derived columns of the examples, with what each reads, for the fitted transform. */
export function derivedColumns(columns: readonly ColumnMeta[]): DerivedColumn[] {
  const types = new Map(columns.map((c) => [c.name, c.type]));
  return columns
    .filter((c) => c.source === 'derived' && c.expression !== undefined)
    .map((c) => ({
      name: c.name,
      type: c.type,
      expression: c.expression!,
      reads: referencedColumns(parseExpression(c.expression!)).map((name) => ({ name, type: types.get(name) })),
    }));
}

/**
 * The raw columns a request must carry to be transformed: the inputs that are not derived, plus
 * what the derived inputs read (transitively).
 */
export function requestColumns(fitted: FittedTransform): { name: string; type?: FittedTransform['inputs'][number]['type'] }[] {
  const derived = new Map((fitted.derived ?? []).map((d) => [d.name, d]));
  const out = new Map<string, { name: string; type?: FittedTransform['inputs'][number]['type'] }>();
  const visit = (name: string, type: FittedTransform['inputs'][number]['type'] | undefined) => {
    const d = derived.get(name);
    if (!d) {
      if (!out.has(name)) out.set(name, { name, type });
      return;
    }
    for (const read of d.reads) visit(read.name, read.type);
  };
  for (const input of fitted.inputs) visit(input.name, input.type);
  return [...out.values()];
}

export type ReadRaw = (name: string, type: DerivedColumn['type'] | undefined) => Value;

/** Whether the row carries a column (its value may still be missing). */
export type RowHas = (name: string) => boolean;

/**
 * Computes the derived columns of one raw row, in declaration order (a derived column may read an
 * earlier one), with the expressions ingest used. Compiled once per fitted transform.
 *
 * A row that carries a derived column but lacks a column its expression reads is a row of the
 * examples, where ingest computed the value before `features.exclude` dropped its source (a label
 * derived from `income`, with `income` excluded): that carried value is the truth, not a
 * recomputation over a missing source. Otherwise the value is computed, whatever the row says.
 */
export function derivedEvaluator(fitted: FittedTransform): (read: ReadRaw, has?: RowHas) => Map<string, Value> {
  const derived = fitted.derived ?? [];
  const compiled: { name: string; type: DerivedColumn['type']; reads: DerivedColumn['reads']; evaluate: Evaluator }[] = derived.map((d) => ({
    name: d.name,
    type: d.type,
    reads: d.reads,
    evaluate: compileExpression(parseExpression(d.expression), new Map(d.reads.map((r, i) => [r.name, i]))),
  }));
  return (read, has) => {
    const values = new Map<string, Value>();
    for (const d of compiled) {
      if (has?.(d.name) && d.reads.some((r) => !values.has(r.name) && !has(r.name))) {
        values.set(d.name, read(d.name, d.type));
        continue;
      }
      const row = d.reads.map((r) => (values.has(r.name) ? values.get(r.name)! : read(r.name, r.type)));
      values.set(d.name, d.evaluate(row));
    }
    return values;
  };
}
