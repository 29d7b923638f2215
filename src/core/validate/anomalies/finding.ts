import type { AnomalyType } from '../types';

/** What a check finds about one feature; validation adds the feature, severity and dataset. */
export interface Finding {
  type: AnomalyType;
  shortDescription: string;
  description: string;
  details?: Record<string, unknown>;
}

/** TFDV's short descriptions, shared by several types. */
export const COLUMN_DROPPED = 'Column dropped';
export const INVALID_VALUES = 'Invalid values';
export const OUT_OF_RANGE = 'Out-of-range values';
