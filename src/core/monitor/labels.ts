import { csvRows } from '../scoring/rows';
import type { FeedbackRecord } from '../serve/log';
import { UserError } from '../util/problems';
import type { MalformedLine } from './types';

/** Ground truth by served row id: raw label values as the training data holds them. */
export type LabelValue = FeedbackRecord['label'];

const ID = 'id';
const LABEL = 'label';

/**
 * A labels file (`--labels`): a CSV with `id` (the served row's id) and `label` columns; other
 * columns are ignored, a later row for the same id wins. Malformed rows are returned, not thrown.
 */
export async function readLabelsFile(file: string): Promise<{ labels: Map<string, LabelValue>; malformed: MalformedLine[] }> {
  const source = await csvRows(file);
  const missing = [ID, LABEL].filter((c) => !source.columns.includes(c));
  if (missing.length) {
    throw UserError.at(
      `the labels file has no ${missing.map((c) => `'${c}'`).join(' or ')} column (its columns: ${source.columns.join(', ')})`,
      { file, line: 1 },
      'a header row with id,label: the served row id (as the server answered it) and its true label',
    );
  }
  const labels = new Map<string, LabelValue>();
  for await (const chunk of source.chunks()) {
    for (const row of chunk.rows) {
      const id = row[ID];
      if (typeof id === 'string' && id.length) labels.set(id, row[LABEL] as string);
    }
  }
  return { labels, malformed: source.bad.map((b) => ({ file: b.file, line: b.line, reason: b.reason })) };
}

/** Feedback records into the label map, a later record for the same id replacing an earlier one. */
export function addFeedback(labels: Map<string, LabelValue>, feedback: readonly FeedbackRecord[]): void {
  for (const f of feedback) labels.set(f.id, f.label);
}
