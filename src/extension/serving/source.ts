import type * as vscode from 'vscode';
import type { ServingInfo, TrafficPoint } from '../../shared/monitoring';

/** The server this window started: its model, where it serves from and logs to, and its state. */
export interface ServingStatus extends ServingInfo {
  model: string;
  /** The serving folder (`<store dir>/serving/<model>`). */
  dir: string | null;
  /** The request log folder of the model (`<log dir>/<model>`), which monitoring reads. */
  logDir: string | null;
}

/**
 * What the Monitoring panel and the status bar read of the server this window runs (implemented by
 * ServingController): at most one server at a time, started and stopped by the serving commands.
 */
export interface ServingSource {
  /** The last server started (undefined before the first Start Serving, and after Stop Serving). */
  status(): ServingStatus | undefined;
  /** The live server's traffic over the last minutes, oldest first; empty when nothing serves. */
  traffic(): readonly TrafficPoint[];
  readonly onDidChangeStatus: vscode.Event<ServingStatus | undefined>;
  readonly onDidTraffic: vscode.Event<TrafficPoint>;
}
