import type { MonitorConfig } from '../pipeline/config';
import type { RunStore } from '../store';
import { fireActions, type ActionDeps } from './actions';
import { alertsOf } from './alerts';
import { evaluateWindow } from './evaluateWindow';
import { addFeedback, type LabelValue } from './labels';
import type { VersionReference } from './reference';
import type { ServingLog } from './servingLog';
import type { AlertActionRecord, AlertRecord, MalformedLine, WindowReport } from './types';
import { WindowAssembler } from './windows';

export interface MonitorSessionOptions {
  store: RunStore;
  model: string;
  log: ServingLog;
  config: MonitorConfig;
  /** The served version's reference (loadVersionReference, bound to the store and pipeline). */
  reference: (version: number) => Promise<VersionReference>;
  /** Ground truth from a labels file; it wins over feedback for the same id. */
  labels?: ReadonlyMap<string, LabelValue>;
  actions: Omit<ActionDeps, 'store'>;
  now?: () => number;
}

export interface WindowOutcome {
  report: WindowReport;
  alerts: { alert: AlertRecord; created: boolean; fired: AlertActionRecord[] }[];
}

export interface PassOutcome {
  /** Served rows read by this pass. */
  rows: number;
  windows: WindowOutcome[];
  malformed: MalformedLine[];
}

/**
 * Monitoring of one model's served traffic: each `poll()` reads what the server logged since the
 * previous one, checks the windows that closed, stores their reports and alerts and runs the
 * configured actions. One poll is `mlops monitor`; polling again and again is `--follow`.
 */
export class MonitorSession {
  private readonly windows: WindowAssembler;
  private readonly feedback = new Map<string, LabelValue>();
  private readonly references = new Map<number, Promise<VersionReference>>();

  constructor(private readonly o: MonitorSessionOptions) {
    this.windows = new WindowAssembler(o.model, o.config.window);
  }

  async poll(): Promise<PassOutcome> {
    const feedback = await this.o.log.newFeedback();
    addFeedback(this.feedback, feedback.feedback);
    const served = await this.o.log.newRecords();
    const closed = [...this.windows.add(served.records), ...this.windows.close((this.o.now ?? Date.now)())];
    const labelOf = (id: string) => this.o.labels?.get(id) ?? this.feedback.get(id);
    const windows: WindowOutcome[] = [];
    for (const window of closed) {
      const report = evaluateWindow(window, await this.reference(window.info.version), labelOf, this.o.config.minRows);
      this.o.store.recordWindow(report);
      const alerts: WindowOutcome['alerts'] = [];
      const notify = this.o.config.actions.includes('notify');
      for (const draft of alertsOf(report)) {
        // The notify action is stored with a new alert (so a watcher never sees one without); the
        // others run now.
        const { alert, created } = this.o.store.recordAlert(draft, { notify });
        const notified = created ? alert.actions.filter((a) => a.action === 'notify') : [];
        const fired = [...notified, ...(await fireActions(alert, this.o.config.actions, { store: this.o.store, ...this.o.actions }))];
        alerts.push({ alert: fired.length > notified.length ? (this.o.store.getAlert(alert.id) ?? alert) : alert, created, fired });
      }
      windows.push({ report, alerts });
    }
    return { rows: served.records.length, windows, malformed: [...feedback.malformed, ...served.malformed] };
  }

  /** Rows in windows that are not complete yet, per version, and rows too late for their (checked) window. */
  get waiting(): { pending: { version: number; rows: number }[]; late: number } {
    return { pending: this.windows.pending(), late: this.windows.late };
  }

  private reference(version: number): Promise<VersionReference> {
    let reference = this.references.get(version);
    if (!reference) this.references.set(version, (reference = this.o.reference(version)));
    return reference;
  }
}
