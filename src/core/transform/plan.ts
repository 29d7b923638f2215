import type { ColumnType } from '../data/cells';
import type { FeatureTransformSpec, Located, TaskType, TransformConfig } from '../pipeline/config';
import type { DataSchema } from '../schema/types';
import { closest } from '../util/closest';
import { UserError, type SourceLocation } from '../util/problems';
import { defaultSpec, type PlannedSpec } from './defaults';
import type { RawInput } from './types';

/** The parts of a pipeline that shape the transform (a PipelineConfig is one). */
export interface TransformSettings {
  /** The pipeline file, for messages about things no single line caused. */
  file: string;
  transform?: TransformConfig;
  label?: Located<string>;
  environments: Record<string, Located<string>[]>;
  train?: { task?: TaskType; model: { embeddingDim?: number }; location: SourceLocation };
  trainStep?: { task?: TaskType; location: SourceLocation };
  data: { missing: string[]; train?: Located<string> };
}

export interface TransformPlan {
  /** Per-column features in the data's column order, then crosses in file order. */
  features: Located<PlannedSpec>[];
  /** The columns the features read, in the data's column order. */
  inputs: RawInput[];
  label?: { column: string; type: ColumnType; location: SourceLocation };
}

/**
 * Which feature each column becomes, checked against the data's columns: every column except the
 * label, the columns absent at serving and the dropped ones is an input; what the file does not
 * name gets its type's default. A transform the data cannot support is a UserError at its line.
 */
export function planTransform(columns: readonly { name: string; type: ColumnType }[], settings: TransformSettings, schema?: DataSchema): TransformPlan {
  const types = new Map(columns.map((c) => [c.name, c.type]));
  const label = settings.label ? planLabel(settings.label, types) : undefined;
  const absentAtServing = new Set((settings.environments.serving ?? []).map((c) => c.value));
  const fallback: SourceLocation = settings.transform?.location ?? { file: settings.file };
  const specs = settings.transform?.features ?? [];
  for (const spec of specs) checkSpec(spec, types, label?.column, absentAtServing);

  const named = new Map<string, Located<FeatureTransformSpec>>();
  for (const spec of specs) if (spec.value.kind !== 'cross') named.set(spec.value.column, spec);
  const features: Located<PlannedSpec>[] = [];
  for (const { name, type } of columns) {
    const spec = named.get(name);
    if (spec) {
      if (spec.value.kind !== 'drop' && spec.value.kind !== 'cross') features.push({ value: spec.value, location: spec.location });
    } else if (name !== label?.column && !absentAtServing.has(name)) {
      features.push({ value: defaultSpec(name, type, schema), location: fallback });
    }
  }
  for (const spec of specs) if (spec.value.kind === 'cross') features.push({ value: spec.value, location: spec.location });

  const read = new Set(features.flatMap((f) => (f.value.kind === 'cross' ? f.value.columns : [f.value.column])));
  const inputs = columns.filter((c) => read.has(c.name)).map((c): RawInput => ({ name: c.name, type: c.type, required: false }));
  return { features, inputs, label };
}

function planLabel(label: Located<string>, types: Map<string, ColumnType>): TransformPlan['label'] {
  const type = types.get(label.value);
  if (!type) throw unknownColumn(`the label '${label.value}' is not a column of the data`, label.value, label.location, types);
  return { column: label.value, type, location: label.location };
}

function checkSpec(located: Located<FeatureTransformSpec>, types: Map<string, ColumnType>, label: string | undefined, absentAtServing: Set<string>): void {
  const { value: spec, location } = located;
  if (spec.kind === 'cross') {
    if (types.has(spec.name)) {
      throw UserError.at(
        `cross '${spec.name}' has the name of a column of the data`,
        location,
        'give the crossed feature a new name, e.g. ' + spec.columns.join('_x_'),
      );
    }
    for (const column of spec.columns) {
      const type = requireColumn(`cross '${spec.name}' names '${column}', which is not a column of the data`, column, location, types);
      requireModelInput(column, location, label, absentAtServing);
      if (type === 'float') {
        throw UserError.at(
          `cross '${spec.name}' includes the float column '${column}': a cross hashes raw values, and continuous values rarely repeat`,
          location,
          'cross int, string or bool columns',
        );
      }
    }
    return;
  }
  const type = requireColumn(`transform names '${spec.column}', which is not a column of the data`, spec.column, location, types);
  if (spec.kind === 'drop') return;
  requireModelInput(spec.column, location, label, absentAtServing);
  if ((spec.kind === 'numeric' || spec.kind === 'bucketize') && type === 'string') {
    const what = spec.kind === 'bucketize' ? 'bucketize' : spec.log ? 'log' : spec.scale === 'none' ? 'a numeric feature' : spec.scale;
    throw UserError.at(`'${spec.column}' is a string column: ${what} needs numbers`, location, 'use vocabulary or hash for a categorical column');
  }
  if ((spec.kind === 'vocabulary' || spec.kind === 'hash') && type === 'float') {
    throw UserError.at(
      `'${spec.column}' is a float column: ${spec.kind === 'hash' ? 'hash' : 'a vocabulary'} needs categorical values`,
      location,
      'bucketize it (bucketize: 10) or keep it numeric (zscore)',
    );
  }
}

function requireColumn(message: string, column: string, location: SourceLocation, types: Map<string, ColumnType>): ColumnType {
  const type = types.get(column);
  if (!type) throw unknownColumn(message, column, location, types);
  return type;
}

function requireModelInput(column: string, location: SourceLocation, label: string | undefined, absentAtServing: Set<string>): void {
  if (column === label) throw UserError.at(`'${column}' is the label: it cannot also be a model input`, location, `remove '${column}' from transform`);
  if (absentAtServing.has(column)) {
    throw UserError.at(
      `'${column}' is absent at serving (environments.serving.exclude): it cannot be a model input`,
      location,
      `write '${column}: drop', or remove it from environments.serving.exclude`,
    );
  }
}

function unknownColumn(message: string, column: string, location: SourceLocation, types: Map<string, ColumnType>): UserError {
  const guess = closest(column, types.keys());
  return UserError.at(message, location, guess ? `did you mean '${guess}'?` : `columns: ${[...types.keys()].join(', ')}`);
}
