import { checkExpression, compileExpression, expressionProblems, parseExpression, type Evaluator } from '../expr';
import { closest } from '../util/closest';
import type { FeaturesConfig, Located } from '../pipeline/config';
import { UserError } from '../util/problems';
import type { ColumnType } from './cells';
import type { ColumnMeta } from './examples/format';

export interface ColumnPlan {
  /** Every column a row holds while ingesting: the CSV columns, then derived ones in declaration order. */
  all: ColumnMeta[];
  /** One evaluator per derived column; each sees the CSV columns and the derived columns before it. */
  derived: Evaluator[];
  /** Positions in `all` of the columns written to the examples (`features.exclude` dropped). */
  kept: number[];
}

/**
 * Types and compiles `features.derive`, applies `features.exclude` and checks the label, all
 * before any row is written, so a mistake in the pipeline file costs no ingest time.
 */
export function planColumns(csv: readonly { name: string; type: ColumnType }[], features: FeaturesConfig, label: Located<string> | undefined): ColumnPlan {
  const all: ColumnMeta[] = csv.map((c) => ({ ...c, source: 'csv' }));
  const types = new Map<string, ColumnType>(csv.map((c) => [c.name, c.type]));
  const derived: Evaluator[] = [];
  for (const { name, expression } of features.derive) {
    const at = expression.location;
    if (types.has(name)) throw UserError.at(`features.derive: '${name}' is already a column of the data`, at, 'pick another name for the derived column');
    const problems = expressionProblems(expression.value, types, at);
    if (problems.length > 0) throw new UserError(problems.map((p) => ({ ...p, message: `features.derive.${name}: ${p.message}` })));
    const parsed = parseExpression(expression.value, at);
    const type = checkExpression(parsed, types, at);
    if (type === 'null') throw UserError.at(`features.derive.${name}: the expression is null for every row`, at);
    derived.push(compileExpression(parsed, new Map(all.map((c, i) => [c.name, i]))));
    all.push({ name, type, source: 'derived', expression: expression.value });
    types.set(name, type);
  }

  const excluded = new Set<string>();
  for (const { value, location } of features.exclude) {
    if (!types.has(value)) {
      const guess = closest(value, types.keys());
      throw UserError.at(
        `features.exclude: no column named '${value}'`,
        location,
        guess ? `did you mean '${guess}'?` : `columns: ${[...types.keys()].join(', ')}`,
      );
    }
    excluded.add(value);
  }
  if (label !== undefined && !types.has(label.value)) {
    const guess = closest(label.value, types.keys());
    throw UserError.at(
      `label: no column named '${label.value}' in the data or features.derive`,
      label.location,
      guess ? `did you mean '${guess}'?` : undefined,
    );
  }
  if (label !== undefined && excluded.has(label.value)) {
    throw UserError.at(`label: '${label.value}' is listed in features.exclude`, label.location, 'the label must stay in the examples');
  }
  const kept = all.flatMap((c, i) => (excluded.has(c.name) ? [] : [i]));
  return { all, derived, kept };
}
