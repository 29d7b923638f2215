import type { DataConfig } from '../pipeline/config';
import { UserError } from '../util/problems';
import { resolveSpans, type SpanFile } from './spans';

export type SplitName = 'train' | 'eval' | 'serving';

/** One CSV file to ingest and the split it feeds. */
export interface Source extends SpanFile {
  split: SplitName;
}

export interface SourcePlan {
  sources: Source[];
  /** Set when eval rows are hashed out of the training files instead of read from their own. */
  hashSplit?: { fraction: number; seed: number };
}

/** Resolves every `data.*` entry to files, training spans first. */
export async function planSources(data: DataConfig): Promise<SourcePlan> {
  const train = await resolveSpans(data.train, 'data.train');
  const evalFiles = 'files' in data.eval ? await resolveSpans(data.eval.files, 'data.eval') : [];
  const serving = data.serving ? await resolveSpans(data.serving, 'data.serving') : [];
  if ('files' in data.eval) {
    const trainFiles = new Set(train.map((s) => s.file));
    const shared = evalFiles.find((s) => trainFiles.has(s.file));
    if (shared) {
      throw UserError.at(
        `data.eval: ${shared.file} is also a training span, so the evaluation would score rows the model trained on`,
        data.eval.files.location,
        'narrow the data.train pattern, or use data.eval: { split: ... }',
      );
    }
  }
  return {
    sources: [
      ...train.map((s) => ({ ...s, split: 'train' as const })),
      ...evalFiles.map((s) => ({ ...s, split: 'eval' as const })),
      ...serving.map((s) => ({ ...s, split: 'serving' as const })),
    ],
    hashSplit: 'split' in data.eval ? data.eval.split : undefined,
  };
}

/**
 * Where each reference column sits in a file's header (-1 when absent). Training and eval files
 * must have the reference columns exactly (in any order); serving files may lack some (the label
 * is unknown at serving time) but may not add any.
 */
export function fieldPositions(reference: readonly string[], referenceFile: string, source: Source, header: readonly string[]): number[] {
  const position = new Map(header.map((name, i) => [name, i]));
  const missing = reference.filter((name) => !position.has(name));
  const known = new Set(reference);
  const extra = header.filter((name) => !known.has(name));
  if (extra.length > 0 || (missing.length > 0 && source.split !== 'serving')) {
    const differences = [missing.length > 0 && `lacks ${list(missing)}`, extra.length > 0 && `has ${list(extra)} in addition`].filter(Boolean);
    throw UserError.at(
      `the columns differ from the first training span (${referenceFile}): this file ${differences.join(' and ')}`,
      { file: source.file, line: 1, row: 0 },
      'every span must have the same header; serving data may only leave columns out',
    );
  }
  return reference.map((name) => position.get(name) ?? -1);
}

function list(names: readonly string[]): string {
  const shown = names.slice(0, 10).map((n) => `'${n}'`);
  return `${shown.join(', ')}${names.length > 10 ? ` and ${names.length - 10} more` : ''}`;
}
