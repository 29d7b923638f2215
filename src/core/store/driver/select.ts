import { UserError } from '../../util/problems';
import { betterSqliteDriver, type BetterSqliteModule } from './betterSqlite';
import { nodeSqliteDriver, type NodeSqliteModule } from './nodeSqlite';
import type { DriverInfo, SqliteDriver } from './types';
import { errorMessage } from '../../util/errorMessage';

/** Forces one driver (tests, benchmarks, a user working around a broken one); unset or `auto` chooses. */
export const DRIVER_ENV = 'MLOPS_SQLITE_DRIVER';

export interface DriverLoaders {
  /** Node's built-in module, or undefined where this Node has none (before 22.13, Electron before 35). */
  builtin(): NodeSqliteModule | undefined;
  /** better-sqlite3; throws when it is not installed or its binary was built for another Node. */
  betterSqlite(): BetterSqliteModule;
}

export const nodeLoaders: DriverLoaders = {
  builtin: loadBuiltinQuietly,
  betterSqlite: loadBetterSqlite,
};

/** A plain require kept out of the bundle (esbuild external): the VSIX does not carry it. */
function loadBetterSqlite(): BetterSqliteModule {
  const Database = require('better-sqlite3') as BetterSqliteModule;
  // Its native binary loads with the first database: a binary built for another Node fails here, at selection.
  new Database(':memory:').close();
  return Database;
}

/**
 * The built-in module where Node has it, else better-sqlite3: desktop VS Code ≥ 1.101 and the CLI it
 * spawns always get the built-in one, so the extension needs no native binary; only the standalone
 * CLI on Node 20 falls back.
 */
export function selectDriver(env: NodeJS.ProcessEnv = process.env, loaders: DriverLoaders = nodeLoaders): SqliteDriver {
  const wanted = env[DRIVER_ENV]?.trim() || 'auto';
  if (wanted !== 'auto' && wanted !== 'node:sqlite' && wanted !== 'better-sqlite3') {
    throw UserError.at(`${DRIVER_ENV}=${wanted} is not a SQLite driver`, undefined, "use 'node:sqlite', 'better-sqlite3' or 'auto'");
  }
  if (wanted !== 'better-sqlite3') {
    const builtin = loaders.builtin();
    if (builtin) return nodeSqliteDriver(builtin);
    if (wanted === 'node:sqlite') {
      throw UserError.at(
        `${DRIVER_ENV}=node:sqlite, but Node ${process.version} has no built-in node:sqlite`,
        undefined,
        'node:sqlite comes with Node 22.13 or newer (and desktop VS Code 1.101 or newer)',
      );
    }
  }
  try {
    return betterSqliteDriver(loaders.betterSqlite());
  } catch (error) {
    const reason = betterSqliteFailure(error);
    if (wanted === 'better-sqlite3') {
      throw UserError.at(`${DRIVER_ENV}=better-sqlite3, but better-sqlite3 ${reason}`, undefined, 'unset it to use the built-in node:sqlite');
    }
    throw UserError.at(
      `the run store needs SQLite: Node ${process.version} has no built-in node:sqlite, and better-sqlite3 ${reason}`,
      undefined,
      'run mlops on Node 22.13 or newer (its SQLite is built in), or on Node 20 install better-sqlite3 (`npm install better-sqlite3`)',
    );
  }
}

let chosen: SqliteDriver | undefined;
let chosenFor: string | undefined;

/** The driver for this process, chosen once (per value of MLOPS_SQLITE_DRIVER). */
export function processDriver(): SqliteDriver {
  const wanted = process.env[DRIVER_ENV] ?? '';
  if (!chosen || chosenFor !== wanted) {
    chosen = selectDriver();
    chosenFor = wanted;
  }
  return chosen;
}

/** Which driver, SQLite and Node a process runs, for logs and bug reports (opens an in-memory database). */
export function describeDriver(driver: SqliteDriver): DriverInfo {
  const probe = driver.connect(':memory:', { readonly: false, busyTimeoutMs: 0 });
  probe.close();
  return probe.info;
}

function betterSqliteFailure(error: unknown): string {
  const message = errorMessage(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'MODULE_NOT_FOUND' && /better-sqlite3/.test(message)) return 'is not installed';
  const abi = /NODE_MODULE_VERSION (\d+)[\s\S]*NODE_MODULE_VERSION (\d+)/.exec(message);
  if (abi) {
    return `could not load: its native binary was built for another Node (module version ${abi[1]}; Node ${process.version} needs ${abi[2]}); \`npm rebuild better-sqlite3\` rebuilds it`;
  }
  return `could not load (${message.split('\n')[0]})`;
}

/**
 * Node 22/24 print "ExperimentalWarning: SQLite is an experimental feature" when the module loads;
 * it is not the user's concern, so it stays out of their terminal and the extension's log.
 */
function loadBuiltinQuietly(): NodeSqliteModule | undefined {
  const emitWarning = process.emitWarning;
  process.emitWarning = function (this: unknown, warning: string | Error, ...rest: unknown[]) {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (/SQLite is an experimental feature/i.test(text)) return;
    return (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  };
  try {
    return process.getBuiltinModule?.('node:sqlite') as NodeSqliteModule | undefined;
  } catch {
    // Node 22.5–22.12 know the module but refuse it without --experimental-sqlite.
    return undefined;
  } finally {
    process.emitWarning = emitWarning;
  }
}
