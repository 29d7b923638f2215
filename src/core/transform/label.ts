import type { ColumnType, Value } from '../data/cells';
import type { ColumnView } from '../data/examples';
import type { TaskType } from '../pipeline/config';
import { UserError, type SourceLocation } from '../util/problems';
import { tokenOf } from './hash';
import type { LabelEncoding } from './types';
import { compareCodePoints } from './vocabulary';

/** Distinct label values kept while fitting; a classifier with more classes is refused. */
export const MAX_CLASSES = 1000;
/** An int label with at most this many distinct values is taken for classes, not a quantity. */
export const MAX_INFERRED_INT_CLASSES = 20;

/** Label values seen in the training split: counts per value (up to MAX_CLASSES) and missing rows. */
export class LabelCounts {
  readonly counts = new Map<string, number>();
  /** More than MAX_CLASSES distinct values were seen; `counts` stopped growing. */
  overflow = false;
  missing = 0;
  present = 0;

  addColumn(column: ColumnView, rows: number): void {
    for (let i = 0; i < rows; i++) this.add(column.get(i));
  }

  add(value: Value): void {
    const token = tokenOf(value);
    if (token === null || (typeof value === 'number' && !Number.isFinite(value))) {
      this.missing++;
      return;
    }
    this.present++;
    const n = this.counts.get(token);
    if (n !== undefined) this.counts.set(token, n + 1);
    else if (this.counts.size < MAX_CLASSES) this.counts.set(token, 1);
    else this.overflow = true;
  }
}

export interface LabelSource {
  column: string;
  type: ColumnType;
  location: SourceLocation;
  /** `train.task` and where it is written, when the file sets it. */
  task?: TaskType;
  taskLocation?: SourceLocation;
}

/**
 * The label's encoding. Task: `train.task`, else inferred: a bool or exactly two values → binary;
 * strings, or at most 20 distinct ints → multiclass; anything else → regression. The positive
 * class of a binary label is `true`, else the larger number (1 of 0/1), else the string last in
 * lexicographic order (">50K" over "<=50K", "yes" over "no").
 */
export function fitLabel(source: LabelSource, seen: LabelCounts): LabelEncoding {
  const { column, type } = source;
  const values = sortValues([...seen.counts.keys()], type);
  const distinct = seen.overflow ? MAX_CLASSES + 1 : values.length;
  const task = source.task ?? inferTask(type, distinct);
  const where = source.task ? (source.taskLocation ?? source.location) : source.location;
  const listed = () => `${values.slice(0, 5).join(', ')}${distinct > 5 ? ', …' : ''}`;
  if (task === 'regression') {
    if (type === 'string')
      throw UserError.at(`regression needs a numeric label; '${column}' is a string column`, where, 'set train.task to binary or multiclass');
    return { task, column, type };
  }
  if (distinct < 2 && !(task === 'binary' && (type === 'bool' || values.every((v) => v === '0' || v === '1')))) {
    throw UserError.at(
      `the label '${column}' has ${distinct === 0 ? 'no values' : `one value (${values[0]})`} in the training data: there is nothing to classify`,
      source.location,
    );
  }
  if (task === 'binary') {
    if (distinct > 2) {
      throw UserError.at(
        `task is binary but the label '${column}' has ${seen.overflow ? `more than ${MAX_CLASSES}` : distinct} values in the training data: ${listed()}`,
        where,
        'set train.task: multiclass, or derive a two-valued label',
      );
    }
    const [negative, positive] = binaryClasses(values, type);
    return { task, column, negative, positive, type };
  }
  if (seen.overflow)
    throw UserError.at(
      `the label '${column}' has more than ${MAX_CLASSES} distinct values: too many classes`,
      where,
      'set train.task: regression for a numeric label',
    );
  return { task, column, classes: values, type };
}

function inferTask(type: ColumnType, distinct: number): TaskType {
  if (type === 'bool' || distinct === 2) return 'binary';
  if (type === 'string' || (type === 'int' && distinct <= MAX_INFERRED_INT_CLASSES)) return 'multiclass';
  return 'regression';
}

/** Numbers numerically, bools false before true, strings in code point order. */
function sortValues(values: string[], type: ColumnType): string[] {
  if (type === 'string') return values.sort(compareCodePoints);
  if (type === 'bool') return values.sort();
  return values.sort((a, b) => Number(a) - Number(b));
}

/** [negative, positive] from the sorted values; one value is completed by its 0/1 or false/true partner. */
function binaryClasses(values: string[], type: ColumnType): [string, string] {
  if (values.length === 2) return [values[0], values[1]];
  if (type === 'bool') return ['false', 'true'];
  return ['0', '1'];
}

const classIndex = new WeakMap<LabelEncoding, Map<string, number>>();

/**
 * The training target of one label value: 0/1 (binary), the class index (multiclass) or the number
 * (regression); NaN when the value is missing or not one of the known classes.
 */
export function encodeLabel(label: LabelEncoding, value: Value): number {
  if (value === null) return NaN;
  switch (label.task) {
    case 'regression':
      return typeof value === 'number' ? value : typeof value === 'boolean' ? Number(value) : NaN;
    case 'binary': {
      const token = tokenOf(value);
      return token === label.positive ? 1 : token === label.negative ? 0 : NaN;
    }
    case 'multiclass': {
      let index = classIndex.get(label);
      if (!index) classIndex.set(label, (index = new Map(label.classes.map((c, i) => [c, i]))));
      return index.get(tokenOf(value)!) ?? NaN;
    }
  }
}
