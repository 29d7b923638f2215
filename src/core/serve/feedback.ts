import { HttpError } from './http';
import { checkRowCount, describe } from './inputs';
import type { FeedbackRecord } from './log';

const MAX_ID = 256;

/**
 * `POST /v1/models/{name}/feedback`: `{"id": "<row id>", "label": <value>}` or a list of them,
 * the id being one a prediction carried. Each becomes a FeedbackRecord stamped `at`.
 */
export function feedbackRecords(body: unknown, maxRows: number, at: number): FeedbackRecord[] {
  const list = Array.isArray(body) ? body : [body];
  checkRowCount(list.length, maxRows, 'the feedback');
  return list.map((item, i) => {
    const where = Array.isArray(body) ? `feedback[${i}]` : 'the feedback';
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new HttpError(400, `${where} should be {"id": "<row id from a prediction>", "label": <true label>}, got ${describe(item)}`);
    }
    const { id, label, ...rest } = item as Record<string, unknown>;
    const extra = Object.keys(rest);
    if (extra.length) throw new HttpError(400, `${where}: unexpected key '${extra[0]}'; feedback has "id" and "label"`);
    if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID) {
      throw new HttpError(400, `${where}: "id" should be the id a prediction carried (a string of 1 to ${MAX_ID} characters), got ${describe(id)}`);
    }
    if (typeof label !== 'string' && typeof label !== 'boolean' && !(typeof label === 'number' && Number.isFinite(label))) {
      throw new HttpError(400, `${where}: "label" should be the true label (a string, number or boolean), got ${describe(label)}`);
    }
    return { id, label, at };
  });
}
