import type { BinaryColumns } from './binaryMetrics';
import { ratio } from './ratio';
import type { GroupRates } from './report';

/** Fairlearn's base rates of a binary classifier that predicts positive when score >= threshold. */
export function groupRates({ positive, scores }: BinaryColumns, rows: Int32Array, threshold: number): GroupRates {
  let tp = 0;
  let fp = 0;
  let positives = 0;
  for (const row of rows) {
    positives += positive[row];
    if (scores[row] >= threshold) positive[row] ? tp++ : fp++;
  }
  const negatives = rows.length - positives;
  return {
    selection_rate: ratio(tp + fp, rows.length),
    tpr: ratio(tp, positives),
    fpr: ratio(fp, negatives),
    fnr: ratio(positives - tp, positives),
    tnr: ratio(negatives - fp, negatives),
  };
}
