import type { DataSchema } from '../../schema/types';
import { sixDigits } from '../format';
import type { Finding } from './finding';

/** Absolute bounds on the number of examples (TFDV's min/max_examples_count). */
export function numExamples(schema: DataSchema, numExamples: number): Finding[] {
  const b = schema.num_examples;
  const out: Finding[] = [];
  if (b?.min !== undefined && numExamples < b.min) {
    out.push({
      type: 'DATASET_LOW_NUM_EXAMPLES',
      shortDescription: 'Low num examples in dataset.',
      description: `The dataset has ${numExamples} examples, which is fewer than expected.`,
      details: { observedNumExamples: numExamples, min: b.min },
    });
  }
  if (b?.max !== undefined && numExamples > b.max) {
    out.push({
      type: 'DATASET_HIGH_NUM_EXAMPLES',
      shortDescription: 'High num examples in dataset.',
      description: `The dataset has ${numExamples} examples, which is more than expected.`,
      details: { observedNumExamples: numExamples, max: b.max },
    });
  }
  return out;
}

/** The example count against the previous span's (TFDV's num_examples_drift_comparator). */
export function numExamplesChange(schema: DataSchema, current: number, previous: number): Finding[] {
  const c = schema.num_examples_change;
  if (!c || (c.min_fraction === undefined && c.max_fraction === undefined)) return [];
  const control = 'previous span';
  const out: Finding[] = [];
  const ratio = previous > 0 ? current / previous : undefined;
  const details = { observedRatio: ratio ?? null, numExamples: current, previousNumExamples: previous };
  if (c.max_fraction !== undefined) {
    if (ratio === undefined) {
      out.push({
        type: 'COMPARATOR_HIGH_NUM_EXAMPLES',
        shortDescription: `High num examples in current dataset versus the ${control}, which has 0.`,
        description: `The ${control} has 0 examples, so there is a high number of examples in the current dataset versus the ${control}.`,
        details,
      });
    } else if (ratio > c.max_fraction) {
      out.push({
        type: 'COMPARATOR_HIGH_NUM_EXAMPLES',
        shortDescription: `High num examples in current dataset versus the ${control}.`,
        description: `The ratio of num examples in the current dataset versus the ${control} is ${sixDigits(ratio)} (up to six significant digits), which is above the threshold ${sixDigits(c.max_fraction)}.`,
        details,
      });
    }
  }
  if (c.min_fraction !== undefined && ratio !== undefined && ratio < c.min_fraction) {
    out.push({
      type: 'COMPARATOR_LOW_NUM_EXAMPLES',
      shortDescription: `Low num examples in current dataset versus the ${control}.`,
      description: `The ratio of num examples in the current dataset versus the ${control} is ${sixDigits(ratio)} (up to six significant digits), which is below the threshold ${sixDigits(c.min_fraction)}.`,
      details,
    });
  }
  return out;
}
