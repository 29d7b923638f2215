import { promises as fs } from 'node:fs';
import type { TrainConfig, TuneConfig } from '../pipeline/config';
import type { MetricPoint } from '../store/types';
import { UserError } from '../util/problems';
import { concurrencyLimit } from './limit';
import { applyParams } from './space';
import { trialFolder, type StateWriter, type StoredTrial, type TuneState } from './state';
import type { TrialJobResult, TrialParams, TrialResult, TrialRunner, TuneRequest } from './types';
import { errorMessage } from '../util/errorMessage';

/** A trial as a strategy plans it, before it runs. */
export interface PlannedTrial {
  trial: number;
  params: TrialParams;
  /** Extra child run tags, e.g. the Hyperband bracket. */
  tags?: Record<string, string>;
}

/**
 * The trials of one tuning: starts each as a child run, trains it through the runner (at most
 * `parallel` at once), reads its objective from its metrics, and keeps the state file current so a
 * resumed tuning trains nothing twice. Trial failures are recorded, not thrown; only a cancel or a
 * mistake that every trial would repeat (an objective metric training never reports) ends the tuning.
 */
export class TrialBook {
  private readonly records = new Map<number, StoredTrial>();
  /** Trials whose child run this process has open, to close as canceled when the tuning stops. */
  private readonly open = new Set<StoredTrial>();
  private readonly limit: <T>(task: () => Promise<T>) => Promise<T>;
  private readonly tune: TuneConfig;

  constructor(
    private readonly request: TuneRequest,
    private readonly state: TuneState,
    private readonly writer: StateWriter,
    private readonly runTrial: TrialRunner,
    /** Aborted on cancel or on a mistake every trial would repeat (its reason is then that error). */
    private readonly controller: AbortController,
    private readonly plannedTrials: number,
  ) {
    this.tune = request.train.tune!;
    for (const record of state.trials) this.records.set(record.trial, record);
    this.limit = concurrencyLimit(this.tune.parallel, controller.signal);
  }

  private get decided(): number {
    return this.state.trials.filter((t) => t.status !== 'running').length;
  }

  /** Trains the trial until `epochs` unless it already got there (or cannot go on); returns its record. */
  async train(planned: PlannedTrial, epochs: number): Promise<StoredTrial> {
    const known = this.records.get(planned.trial);
    if (known && !needsTraining(known, epochs)) return known;
    return this.limit(async () => {
      const record = this.records.get(planned.trial) ?? this.start(planned);
      this.open.add(record);
      await this.runJob(record, epochs);
      return record;
    });
  }

  /** The strategy's verdict on a trial that trained without failing. */
  async decide(record: StoredTrial, status: 'complete' | 'stopped'): Promise<void> {
    if (record.status !== 'running') return;
    record.status = status;
    this.request.tracking.finishChildRun(record.runId, 'complete');
    this.open.delete(record);
    this.reportProgress();
    await this.writer.save();
  }

  /**
   * The best objective value over the trial's epochs (up to `untilEpoch`: a resumed Hyperband
   * ranks a rung by the epochs that rung trained, as the first pass did), or undefined without any.
   */
  objective(record: StoredTrial, untilEpoch = Infinity): number | undefined {
    const values = record.objective.slice(0, untilEpoch).filter((v): v is number => v !== null && v !== undefined);
    if (values.length === 0) return undefined;
    return this.tune.objective.direction === 'min' ? Math.min(...values) : Math.max(...values);
  }

  /** Is `a` a better objective value than `b`? */
  better(a: number, b: number): boolean {
    return this.tune.objective.direction === 'min' ? a < b : a > b;
  }

  results(): TrialResult[] {
    return [...this.records.values()]
      .sort((a, b) => a.trial - b.trial)
      .map((r) => ({
        trial: r.trial,
        runId: r.runId,
        params: r.params,
        status: r.status === 'running' ? 'failed' : r.status,
        epochs: r.epochs,
        objective: r.status === 'failed' ? undefined : this.objective(r),
        error: r.error,
        backend: r.backend,
      }));
  }

  /** Closes the child runs of trials cut off by a cancel or an error; their state stays, for --resume. */
  async stop(status: 'canceled' | 'failed', error?: string): Promise<void> {
    for (const record of this.open) this.request.tracking.finishChildRun(record.runId, status, error);
    this.open.clear();
    await this.writer.save();
  }

  private start(planned: PlannedTrial): StoredTrial {
    const params = Object.fromEntries(Object.entries(planned.params).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
    const runId = this.request.tracking.startChildRun(params, { trial: String(planned.trial), strategy: this.tune.strategy, ...planned.tags });
    const record: StoredTrial = { trial: planned.trial, runId, params: planned.params, status: 'running', epochs: 0, stoppedEarly: false, objective: [] };
    this.records.set(planned.trial, record);
    this.state.trials.push(record);
    return record;
  }

  private async runJob(record: StoredTrial, epochs: number): Promise<void> {
    const signal = this.controller.signal;
    if (signal.aborted) throw signal.reason;
    const dir = trialFolder(this.request.checkpointDir, record.trial);
    // A folder from an earlier budget or an interrupted run holds checkpoints to continue from.
    const resume = await fs.stat(dir).then(
      () => true,
      () => false,
    );
    await fs.mkdir(dir, { recursive: true });
    const job = { reported: new Set<string>(), notFinite: undefined as { epoch: number; value: number } | undefined };
    const metric = this.tune.objective.metric;
    const config: TrainConfig = { ...applyParams(this.request.train, record.params), epochs };
    let result: TrialJobResult;
    try {
      result = await this.runTrial({
        trial: record.trial,
        params: record.params,
        config,
        epochs,
        checkpointDir: dir,
        resume,
        signal,
        onMetrics: (points: MetricPoint[]) => {
          this.request.tracking.logMetrics(points, record.runId);
          for (const p of points) {
            job.reported.add(p.key);
            if (p.key !== metric || p.step === undefined || p.step < 1) continue;
            record.objective[p.step - 1] = Number.isFinite(p.value) ? p.value : null;
            if (!Number.isFinite(p.value)) job.notFinite ??= { epoch: p.step, value: p.value };
          }
          this.writer.save().catch(() => undefined); // a failed write shows at the job's final save
        },
        log: (line) => this.request.log(`trial ${record.trial}: ${line}`),
      });
    } catch (e) {
      if (signal.aborted) throw signal.reason;
      this.fail(record, errorMessage(e));
      await this.writer.save();
      return;
    }
    record.epochs = Math.max(record.epochs, result.epochs);
    record.stoppedEarly = result.stoppedEarly && result.epochs < epochs;
    record.backend = result.backend ?? record.backend;
    if (job.notFinite !== undefined) {
      this.fail(record, `the objective ${metric} was ${job.notFinite.value} at epoch ${job.notFinite.epoch}`);
    } else if (result.epochs > 0 && this.objective(record) === undefined) {
      // Every trial would train in vain: stop the tuning now rather than after all of them.
      const error = this.missingObjective(job.reported);
      this.controller.abort(error);
      throw error;
    }
    await this.writer.save();
  }

  private missingObjective(reported: Set<string>): UserError {
    const names = [...reported].filter((k) => k !== 'batch_loss').sort();
    return UserError.at(
      `the tuning objective '${this.tune.objective.metric}' is not a metric training reports${names.length ? ` (it reports ${names.join(', ')})` : ''}`,
      { ...this.tune.location, field: 'train.tune.objective' },
      names.length ? `set tune.objective to one of: ${names.join(', ')}` : undefined,
    );
  }

  private fail(record: StoredTrial, error: string): void {
    record.status = 'failed';
    record.error = error;
    this.request.tracking.finishChildRun(record.runId, 'failed', error);
    this.open.delete(record);
    this.request.log(`trial ${record.trial} failed: ${error}`);
    this.reportProgress();
  }

  private reportProgress(): void {
    const done = this.decided;
    this.request.progress(`tuning: ${done} of ${this.plannedTrials} trials done`, Math.min(1, done / this.plannedTrials));
  }
}

function needsTraining(record: StoredTrial, epochs: number): boolean {
  return record.status === 'running' && !record.stoppedEarly && record.epochs < epochs;
}
