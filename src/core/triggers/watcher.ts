import { fireActions } from '../monitor/actions';
import type { AlertRecord } from '../monitor/types';
import { registryModelName } from '../pipeline/analysisSections';
import type { PipelineConfig } from '../pipeline/config';
import type { RunStore } from '../store';
import type { RunTrigger } from '../store/types';
import { UserError } from '../util/problems';
import type { WatchEvent } from './events';
import type { TriggeredRun } from './launch';
import { nextScheduled } from './schedule';
import { initialSettleState, settle, type FileLook, type SettleState } from './settle';
import { lookAtSpans } from './spanScan';

export interface WatcherOptions {
  config: PipelineConfig;
  store: RunStore;
  /** Starts one triggered run (`startTriggeredRun` bound to the CLI, the store and the output). */
  start: (trigger: RunTrigger) => TriggeredRun;
  report: (event: WatchEvent) => void;
  /** The clock and the file looks, for tests; default Date.now and lookAtSpans. */
  now?: () => number;
  lookAtSpans?: (pattern: string) => Promise<FileLook[]>;
}

interface Deferred {
  promise: Promise<number>;
  resolve: (runId: number) => void;
  reject: (error: unknown) => void;
}

function deferred(): Deferred {
  let resolve!: Deferred['resolve'];
  let reject!: Deferred['reject'];
  const promise = new Promise<number>((res, rej) => ((resolve = res), (reject = rej)));
  // A span or schedule trigger has nobody waiting for its run id; its failure is reported as an event.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/**
 * `mlops watch`: runs a pipeline when a new span settles under data.train, when its schedule is
 * due, and when a monitoring alert of its model calls for a retrain. One run at a time; a trigger
 * while one runs queues at most one follow-up (later triggers join it: it runs on all the data there
 * is by then). A class: it owns the running run and the queue until `stop()`. Each `check()` is one
 * look; the CLI calls it every poll, tests with their own clock.
 */
export class Watcher {
  private spans?: SettleState;
  private nextAt?: number;
  private lastAlertId = 0;
  private readonly alertModel?: string;
  private current?: { run?: TriggeredRun; done: Promise<void> };
  private queued?: { trigger: RunTrigger; started: Deferred };
  /** Alerts are handled one after another, so one window's alerts start one retrain. */
  private alerts: Promise<unknown> = Promise.resolve();
  private stopping = false;

  constructor(private readonly o: WatcherOptions) {
    const actions = o.config.monitor?.actions ?? [];
    this.alertModel = actions.includes('retrain') ? registryModelName(o.config) : undefined;
  }

  private get now(): number {
    return (this.o.now ?? Date.now)();
  }

  /** Takes stock (the span files there now are not new; alerts raised before are not this watcher's) and says what it watches. */
  async start(): Promise<void> {
    const { config } = this.o;
    const triggers = config.triggers;
    if (!triggers.spans && !triggers.schedule && this.alertModel === undefined) {
      throw UserError.at(
        'there is nothing to watch: triggers.spans is off, there is no triggers.schedule and monitor.actions has no retrain',
        { file: config.file },
        'turn spans on, add a schedule ("0 3 * * *") or the retrain action',
      );
    }
    const present = triggers.spans ? await this.look() : [];
    if (triggers.spans) this.spans = initialSettleState(present);
    if (triggers.schedule) this.nextAt = nextScheduled(triggers.schedule.value, this.now);
    if (this.alertModel !== undefined) this.lastAlertId = this.o.store.listAlerts({ model: this.alertModel, limit: 1 })[0]?.id ?? 0;
    this.o.report({
      type: 'watching',
      pipeline: config.name,
      file: config.file,
      spans: triggers.spans ? config.data.train.value : null,
      settleMs: triggers.settleMs,
      schedule: triggers.schedule?.value ?? null,
      nextScheduled: this.nextAt ?? null,
      alerts: this.alertModel ?? null,
    });
    const missed = this.unread(present.map((f) => f.file));
    if (missed.length) void this.enqueue({ kind: 'span', files: missed });
  }

  /**
   * Span files the pipeline's newest complete run did not read: dropped while no watcher ran, or
   * whose run failed or was stopped. None before the pipeline's first complete run (nothing to
   * catch up with: it is run by hand first).
   */
  private unread(files: string[]): string[] {
    const newest = this.o.store.listRuns({ pipeline: this.o.config.name, status: ['complete'], limit: 1 }).runs[0];
    if (!newest) return [];
    const read = new Set(
      this.o.store
        .recordedInputs(newest.id)
        .filter((i) => i.type === 'DataFile')
        .map((i) => i.uri),
    );
    return files.filter((f) => !read.has(f)).sort();
  }

  async check(): Promise<void> {
    if (this.stopping) return;
    const now = this.now;
    if (this.spans) {
      const outcome = settle(this.spans, await this.look(), now, this.o.config.triggers.settleMs);
      this.spans = outcome.state;
      if (outcome.appeared.length) this.o.report({ type: 'settling', files: outcome.appeared });
      if (outcome.settled.length) void this.enqueue({ kind: 'span', files: outcome.settled });
    }
    const schedule = this.o.config.triggers.schedule;
    if (schedule && this.nextAt !== undefined && now >= this.nextAt) {
      // Times missed while the machine slept fold into this one run.
      void this.enqueue({ kind: 'schedule', cron: schedule.value, at: this.nextAt });
      this.nextAt = nextScheduled(schedule.value, now);
      this.o.report({ type: 'scheduled', next: this.nextAt ?? null });
    }
    if (this.alertModel !== undefined) {
      const fresh = this.o.store.listAlerts({ model: this.alertModel, afterId: this.lastAlertId }).reverse();
      for (const alert of fresh) this.alerts = this.alerts.then(() => this.retrain(alert));
      this.lastAlertId = fresh.at(-1)?.id ?? this.lastAlertId;
    }
  }

  /** Stops triggering: a queued run is dropped, the running one canceled and waited for. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.queued?.started.reject(UserError.at('mlops watch stopped before this run started', { file: this.o.config.file }));
    this.queued = undefined;
    this.current?.run?.cancel();
    await this.current?.done;
    await this.alerts;
  }

  /** Resolves once no run is going or queued and every alert seen so far is handled (what tests wait on). */
  async idle(): Promise<void> {
    await this.alerts;
    while (this.current) await this.current.done;
  }

  private look(): Promise<FileLook[]> {
    return (this.o.lookAtSpans ?? lookAtSpans)(this.o.config.data.train.value);
  }

  /**
   * The alert's retrain action, claimed in the store as `mlops monitor` does (which leaves it to a
   * live watcher): at most once per alert, one per window, none while the last retrain runs.
   */
  private async retrain(alert: AlertRecord): Promise<void> {
    await fireActions(alert, ['retrain'], {
      store: this.o.store,
      retrain: async (a) => ({
        runId: await this.enqueue({ kind: 'alert', alertId: a.id, model: a.model, message: a.message }),
        detail: `mlops watch, pid ${process.pid}`,
      }),
    });
  }

  /** Starts the run now, or queues it behind the running one; resolves with the id of the run that carries it. */
  private enqueue(trigger: RunTrigger): Promise<number> {
    if (this.stopping) {
      const refused = deferred();
      refused.reject(UserError.at('mlops watch is stopping', { file: this.o.config.file }));
      return refused.promise;
    }
    if (!this.current) {
      const started = deferred();
      this.o.report({ type: 'trigger', trigger, outcome: 'started' });
      this.drive(trigger, started);
      return started.promise;
    }
    if (!this.queued) {
      this.queued = { trigger, started: deferred() };
      this.o.report({ type: 'trigger', trigger, outcome: 'queued' });
      return this.queued.started.promise;
    }
    const queued = this.queued.trigger;
    if (queued.kind === 'span' && trigger.kind === 'span')
      this.queued.trigger = { kind: 'span', files: [...new Set([...queued.files, ...trigger.files])].sort() };
    this.o.report({ type: 'trigger', trigger, outcome: 'merged' });
    return this.queued.started.promise;
  }

  private drive(trigger: RunTrigger, started: Deferred): void {
    const slot: { run?: TriggeredRun; done: Promise<void> } = { done: Promise.resolve() };
    this.current = slot;
    slot.done = (async () => {
      try {
        const run = (slot.run = this.o.start(trigger));
        const runId = await run.started;
        started.resolve(runId);
        this.o.report({ type: 'run-started', runId, trigger });
        const exitCode = await run.finished;
        const status = this.o.store.getRun(runId)?.status ?? 'failed';
        this.o.report({ type: 'run-finished', runId, status, exitCode, trigger });
      } catch (error) {
        started.reject(error);
        this.o.report({
          type: 'run-not-started',
          message: error instanceof UserError ? error.problems.map((p) => p.message).join('; ') : String(error),
          trigger,
        });
      }
    })().finally(() => {
      this.current = undefined;
      const next = this.queued;
      this.queued = undefined;
      if (next && !this.stopping) {
        this.o.report({ type: 'trigger', trigger: next.trigger, outcome: 'started' });
        this.drive(next.trigger, next.started);
      }
    });
  }
}
