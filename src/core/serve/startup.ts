import type { LoadedModel } from '../model/types';
import { checkModelName } from '../registry/names';
import { UserError } from '../util/problems';
import { checkExposure } from './access';
import type { ServeEvent } from './events';

export interface ModelServerOptions {
  /** The model's name: in URLs (`/v1/models/<model>`), the log folder and metrics. */
  model: string;
  /** The serving folder: `<dir>/<version>/` packages and `aliases.json` (what `mlops push` writes). */
  dir: string;
  /** Default 127.0.0.1; any other address needs `token`. */
  host?: string;
  /** Default 8501; 0 picks a free port (see `port` once started). */
  port?: number;
  /** Requests must carry `Authorization: Bearer <token>` (health endpoints excepted). */
  token?: string;
  /** The request log's root (`<logDir>/<model>/`); no log without it. */
  logDir?: string;
  /** Share of served rows logged, 0..1 (default 1). */
  sampleRate?: number;
  /** Rows per request at most (default 10,000). */
  maxRows?: number;
  /** Body bytes per request at most (default 10 MB). */
  maxBodyBytes?: number;
  /** A client must send its headers within this (default 10 s) and the whole request within `requestTimeoutMs` (default 30 s). */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** How often the serving folder is read (default 1 s). */
  pollMs?: number;
  /** A loaded version nothing points at is unloaded after this long without requests (default 60 s). */
  keepIdleMs?: number;
  /** Rows of concurrent requests predicted in one call at most (default 4,096). */
  maxBatchRows?: number;
  logFlushMs?: number;
  /** In-flight requests get this long to finish on close before their connections are cut (default 10 s). */
  closeTimeoutMs?: number;
  /** Reported by `GET /v2`. */
  serverVersion?: string;
  /** Report a `traffic` event this often (none when left out). */
  trafficEveryMs?: number;
  onEvent?: (event: ServeEvent) => void;
  /** The package loader (default: loadModel, the one `mlops predict` uses). */
  load?: (dir: string) => Promise<LoadedModel>;
  random?: () => number;
}

/** What an option left out means. */
const DEFAULTS = {
  host: '127.0.0.1',
  port: 8501,
  sampleRate: 1,
  maxRows: 10_000,
  maxBodyBytes: 10 * 1024 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  pollMs: 1000,
  keepIdleMs: 60_000,
  maxBatchRows: 4096,
  logFlushMs: 1000,
  closeTimeoutMs: 10_000,
};

export type ServerSettings = typeof DEFAULTS & ModelServerOptions;

/** The options with their defaults; a value no server can run with is a UserError. */
export function serverSettings(options: ModelServerOptions): ServerSettings {
  checkOptions(options);
  return { ...DEFAULTS, ...definedOnly(options), model: options.model, dir: options.dir };
}

function checkOptions(o: ModelServerOptions): void {
  checkModelName(o.model);
  if (o.sampleRate !== undefined && !(o.sampleRate >= 0 && o.sampleRate <= 1)) {
    throw UserError.at(`the sample rate is ${o.sampleRate}; it is a share of rows from 0 to 1`, undefined, 'e.g. --sample-rate 0.1 logs one row in ten');
  }
  if (o.port !== undefined && !(Number.isInteger(o.port) && o.port >= 0 && o.port <= 65535)) {
    throw UserError.at(`port ${o.port} is not a port number (0 to 65535)`);
  }
  for (const [name, value] of Object.entries({ maxRows: o.maxRows, maxBodyBytes: o.maxBodyBytes })) {
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) throw UserError.at(`${name} is ${value}; it must be a positive whole number`);
  }
  checkExposure(o.host ?? DEFAULTS.host, o.token);
}

/** Why the server could not listen, for the user: a port in use, an address this machine lacks. */
export function listenError(e: NodeJS.ErrnoException, host: string, port: number): Error {
  switch (e.code) {
    case 'EADDRINUSE':
      return UserError.at(
        `port ${port} on ${host} is already in use (another server, or another mlops serve)`,
        undefined,
        'choose another with --port, or stop the other server',
      );
    case 'EACCES':
      return UserError.at(
        `not allowed to listen on port ${port} on ${host}`,
        undefined,
        'ports below 1024 need special rights; choose one above 1024 with --port',
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return UserError.at(
        `cannot listen on ${host}: this machine has no such address (${e.code})`,
        undefined,
        'use 127.0.0.1 (this machine only) or one of its own addresses',
      );
    default:
      return e;
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
