import type { ComparatorThresholds } from '../schema/types';
import type { SourceLocation } from '../util/problems';

/**
 * A pipeline file after parsing and validation. Paths are absolute (resolved against the pipeline
 * file's folder); every user-written value that later code can reject keeps its source location so
 * that the rejection names the file, line and column.
 */
export interface PipelineConfig {
  name: string;
  /** Absolute path of the pipeline file. */
  file: string;
  /** Folder of the pipeline file: relative paths in it resolve from here. */
  dir: string;
  /** sha256 of the file's bytes, recorded with every run. */
  hash: string;
  data: DataConfig;
  features: FeaturesConfig;
  label?: Located<string>;
  seed: number;
  /** Features absent per environment, e.g. `serving` → the label. */
  environments: Record<string, Located<string>[]>;
  /** Set when the pipeline computes statistics (asked for, or needed by schema/validate). */
  statistics?: StatisticsConfig;
  /** The data schema file (absolute); set when the pipeline infers or checks a schema. */
  schema?: Located<string>;
  validate?: ValidateConfig;
  steps: StepConfig[];
}

export interface StatisticsConfig {
  slices: string[][];
  categorical: string[];
  location: SourceLocation;
}

export interface ValidateConfig {
  drift: Record<string, ComparatorThresholds>;
  skew: Record<string, ComparatorThresholds>;
  stopOn: 'error' | 'warning' | 'never';
  location: SourceLocation;
}

export interface DataConfig {
  /** Absolute glob or path: each matching file is one span, ordered by name. */
  train: Located<string>;
  /** Evaluation data: given files, or a deterministic hash split of the training spans. */
  eval: { files: Located<string> } | { split: { fraction: number; seed: number } };
  /** Optional serving data (absolute glob or path), for training-serving skew. */
  serving?: Located<string>;
  /** Cell values that mean "missing". The empty cell is always missing. */
  missing: string[];
  delimiter: string;
  /** Column names when the files have no header row; undefined means the first row is the header. */
  columns?: string[];
  /** A run fails when more rows than this are bad (a fraction below 1 is a share of all rows). */
  maxBadRows: number;
}

export interface FeaturesConfig {
  derive: { name: string; expression: Located<string> }[];
  exclude: Located<string>[];
}

export interface StepConfig {
  name: string;
  run: string;
  after: string[];
  /** Absolute working directory (default: the pipeline file's folder). */
  cwd: string;
  env: Record<string, string>;
  /** Declared inputs and outputs: name -> absolute path (file or folder). */
  inputs: Record<string, string>;
  outputs: Record<string, string>;
  /** Absolute path of a JSON file the step writes: `{ "name": number | [number, ...] }`. */
  metrics?: string;
  location: SourceLocation;
}

/** A value with where it was written, for messages that point at the source. */
export interface Located<T> {
  value: T;
  location: SourceLocation;
}
