/** The metrics a run's status bar item can show: per-epoch series, not one-off figures or batches. */
export function isEpochMetric(key: string, step: number): boolean {
  // Step 0 is a one-off figure (validate's skew.payment_type.linf, final.auc), not training progress.
  return step > 0 && !key.startsWith('batch_');
}

/** Losses first: every trainer logs one, and they are what a person watches fall. */
const HEADLINE = ['val_loss', 'loss'];

/**
 * The one figure the status bar shows of a run's latest epoch: its loss when it logs one, else the
 * first key it logged (was whichever key came last in the epoch: `val_recall 0`).
 */
export function headlineKey(keys: readonly string[]): string | undefined {
  return HEADLINE.find((k) => keys.includes(k)) ?? keys[0];
}
