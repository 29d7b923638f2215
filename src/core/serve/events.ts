import type { TrafficStats } from './traffic';

/** What the server reports as it runs: the CLI prints these (or writes them as JSON lines for the extension). */
export type ServeEvent =
  | { kind: 'loaded'; version: number; ms: number }
  | { kind: 'load-failed'; version: number; error: string }
  /** The version answering un-versioned requests changed (a push, a rollback, the first load). */
  | { kind: 'swapped'; from: number | null; to: number }
  | { kind: 'unloaded'; version: number }
  /** aliases.json could not be read; the aliases read before stay in force. */
  | { kind: 'aliases-error'; error: string }
  /** The serving folder could not be listed; what is loaded keeps serving. */
  | { kind: 'folder-error'; error: string }
  /** The request log could not be written (reported once per kind of failure; serving goes on). */
  | { kind: 'log-error'; error: string }
  /** A bug met while answering a request (answered 500); the stack, for the log. */
  | { kind: 'request-error'; error: string }
  /** Every `trafficEveryMs`: the last interval's prediction traffic and the version answering. */
  | ({ kind: 'traffic'; version: number | null } & TrafficStats);
