import * as vscode from 'vscode';
import type { StoreService } from '../store/storeService';
import { debounce } from '../util/debounce';
import { alertNotification } from './notification';
import { errorMessage } from '../../core/util/errorMessage';

export interface AlertNotifierDeps {
  store: StoreService;
  log: vscode.LogOutputChannel;
  showMonitoring(model: string): void;
}

export const SHOW_MONITORING_ACTION = 'Show Monitoring';

/**
 * A warning notification for new monitoring alerts, whoever recorded them (this window's monitor,
 * `mlops monitor` in a terminal or CI), when their pipeline lists `notify` in `monitor.actions`: one
 * per burst, so a window that fires five checks says so once. Alerts stored before this window
 * opened (or in a store it moved away from) are history, shown in the Monitoring panel only.
 */
const SETTLE_MS = 500;
/** Alerts read per burst; a larger burst's older ones are left to the panel. */
const BURST_LIMIT = 100;

export class AlertNotifier implements vscode.Disposable {
  /** The messages shown, oldest first (for tests). */
  readonly shown: string[] = [];
  private lastId: number;
  private storePath: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  // A burst: the alerts of one window land together, their actions' outcomes right after.
  private readonly scheduleCheck = debounce(() => this.check(), SETTLE_MS);

  constructor(private readonly deps: AlertNotifierDeps) {
    this.storePath = deps.store.path;
    this.lastId = this.newestId();
    this.disposables.push(
      this.scheduleCheck,
      deps.store.onDidChange(() => this.scheduleCheck()),
    );
  }

  /** The newest alert id looked at, notified or not (for tests). */
  get seen(): number {
    return this.lastId;
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private newestId(): number {
    return this.deps.store.read((s) => s.listAlerts({ limit: 1 })[0]?.id ?? 0, 0);
  }

  private check(): void {
    if (this.deps.store.path !== this.storePath) {
      this.storePath = this.deps.store.path;
      this.lastId = this.newestId();
      return;
    }
    const alerts = this.deps.store.read((s) => s.listAlerts({ afterId: this.lastId, limit: BURST_LIMIT }), []);
    if (!alerts.length) return;
    this.lastId = Math.max(this.lastId, ...alerts.map((a) => a.id));
    const note = alertNotification(alerts);
    if (!note) return;
    this.shown.push(note.message);
    this.deps.log.info(note.message);
    void vscode.window.showWarningMessage(note.message, SHOW_MONITORING_ACTION).then(
      (choice) => {
        if (choice === SHOW_MONITORING_ACTION) this.deps.showMonitoring(note.model);
      },
      (e: unknown) => this.deps.log.warn(`alert notification: ${errorMessage(e)}`),
    );
  }
}
