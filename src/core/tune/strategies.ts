import type { TrainConfig } from '../pipeline/config';
import { deriveSeed, mulberry32 } from '../util/random';
import { hyperbandBrackets } from './hyperband';
import { settleAll } from './limit';
import { gridPoints, gridSize, sampleParams } from './sample';
import type { PlannedTrial, TrialBook } from './trials';

/** What a strategy plans before anything trains, and how it then runs the plan. */
export interface TuningPlan {
  trials: PlannedTrial[];
  /** One line for the log saying what the plan is. */
  summary: string;
  run(book: TrialBook): Promise<void>;
}

/** Salt of the sampling stream, so trial params do not share a stream with the training seed's other uses. */
const SAMPLING_STREAM = 0x74756e65;

export function planTuning(train: TrainConfig): TuningPlan {
  const tune = train.tune!;
  const random = mulberry32(deriveSeed(train.seed, SAMPLING_STREAM));
  switch (tune.strategy) {
    case 'random': {
      const trials = Array.from({ length: tune.trials }, (_, i) => ({ trial: i + 1, params: sampleParams(tune.space, random) }));
      return { trials, summary: `random search: ${trials.length} trials${epochsOf(train)}`, run: (book) => trainAll(book, trials, train.epochs) };
    }
    case 'grid': {
      const size = gridSize(tune.space);
      const trials: PlannedTrial[] = [];
      for (const params of gridPoints(tune.space)) {
        if (trials.length === tune.trials) break;
        trials.push({ trial: trials.length + 1, params });
      }
      const capped = size > trials.length ? ` (the first ${trials.length} of ${size} grid points: tune.trials caps the grid)` : '';
      return { trials, summary: `grid search: ${trials.length} trials${epochsOf(train)}${capped}`, run: (book) => trainAll(book, trials, train.epochs) };
    }
    case 'hyperband': {
      const brackets = hyperbandBrackets(tune.maxEpochs, tune.eta).map((bracket) => ({
        ...bracket,
        trials: Array.from({ length: bracket.rungs[0].trials }, (): PlannedTrial => ({
          trial: 0,
          params: sampleParams(tune.space, random),
          tags: { bracket: String(bracket.s) },
        })),
      }));
      const trials = brackets.flatMap((b) => b.trials);
      trials.forEach((t, i) => (t.trial = i + 1));
      const shape = brackets.map((b) => b.rungs.map((r) => `${r.trials}×${r.epochs}`).join(' → ')).join('; ');
      return {
        trials,
        summary: `hyperband: ${trials.length} trials in ${brackets.length} brackets of trials × epochs: ${shape}`,
        // Brackets are independent: running them side by side keeps every worker busy.
        run: async (book) => void (await settleAll(brackets.map((b) => successiveHalving(book, b.trials, b.rungs)))),
      };
    }
  }
}

const epochsOf = (train: TrainConfig) => (train.tune!.space.epochs ? '' : ` of ${train.epochs} epochs`);

/** Random and grid search: every trial trains its epochs (`epochs` from its params when the space has them). */
async function trainAll(book: TrialBook, trials: PlannedTrial[], epochs: number): Promise<void> {
  await settleAll(trials.map(async (t) => book.decide(await book.train(t, typeof t.params.epochs === 'number' ? t.params.epochs : epochs), 'complete')));
}

/**
 * One Hyperband bracket: every trial trains to the first rung's epochs; the best ⌊n/eta⌋ by
 * objective continue from their checkpoints to the next rung's epochs, the others stop there.
 */
async function successiveHalving(book: TrialBook, trials: PlannedTrial[], rungs: { trials: number; epochs: number }[]): Promise<void> {
  let alive = trials;
  for (const [i, rung] of rungs.entries()) {
    const records = await settleAll(alive.map((t) => book.train(t, rung.epochs)));
    const ranked = records
      .map((record, k) => ({ planned: alive[k], record, objective: book.objective(record, rung.epochs) }))
      .filter((r) => r.record.status !== 'failed' && r.objective !== undefined)
      .sort((a, b) => (book.better(a.objective!, b.objective!) ? -1 : book.better(b.objective!, a.objective!) ? 1 : a.planned.trial - b.planned.trial));
    const promoted = i + 1 < rungs.length ? ranked.slice(0, rungs[i + 1].trials) : [];
    for (const r of ranked.slice(promoted.length)) await book.decide(r.record, i + 1 < rungs.length ? 'stopped' : 'complete');
    alive = promoted.map((r) => r.planned);
  }
}
