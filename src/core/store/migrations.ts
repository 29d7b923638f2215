import type { StoreContext } from './context';

/** 'MLOP': tells our store apart from any other SQLite file a user points --store at. */
export const APPLICATION_ID = 0x4d4c4f50;

interface Migration {
  /** The `PRAGMA user_version` the store has after this step. */
  version: number;
  sql: string;
}

/**
 * Steps are append-only: a released step never changes, a schema change is a new step. Each runs
 * once, in order, inside the transaction that also bumps user_version.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      PRAGMA application_id = ${APPLICATION_ID};

      CREATE TABLE pipelines (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        file TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );

      -- AUTOINCREMENT: people type run ids, so a deleted run's id must never come back as another run.
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        pipeline_id INTEGER NOT NULL REFERENCES pipelines(id),
        pipeline_file TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'failed', 'canceled', 'interrupted')),
        component TEXT,
        started_at INTEGER NOT NULL,
        ended_at INTEGER,
        pipeline_hash TEXT NOT NULL,
        git_commit TEXT,
        git_dirty INTEGER,
        tool_version TEXT NOT NULL,
        tfjs_backend TEXT,
        seed INTEGER,
        error TEXT,
        pid INTEGER,
        hostname TEXT
      );
      -- Run lists page newest first, over all runs or one pipeline's; the trailing rowid breaks ties.
      CREATE INDEX runs_by_start ON runs(started_at);
      CREATE INDEX runs_by_pipeline ON runs(pipeline_id, started_at);
      -- Every CLI start looks for runs left running; they are few, so the index stays tiny.
      CREATE INDEX runs_running ON runs(hostname) WHERE status = 'running';

      CREATE TABLE executions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        component TEXT NOT NULL,
        type TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('new', 'running', 'complete', 'failed', 'cached', 'canceled')),
        started_at INTEGER,
        ended_at INTEGER,
        cache_key TEXT,
        error TEXT,
        properties TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX executions_by_run ON executions(run_id);
      CREATE INDEX executions_by_cache_key ON executions(cache_key) WHERE cache_key IS NOT NULL;

      CREATE TABLE artifacts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        type TEXT NOT NULL,
        uri TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'live', 'abandoned', 'deleted')),
        content_hash TEXT,
        size_bytes INTEGER,
        properties TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER NOT NULL
      );

      -- No cascade from artifacts: deleting an artifact another execution still uses is a bug to surface.
      CREATE TABLE events (
        execution_id INTEGER NOT NULL REFERENCES executions(id) ON DELETE CASCADE,
        artifact_id INTEGER NOT NULL REFERENCES artifacts(id),
        role TEXT NOT NULL CHECK (role IN ('input', 'output')),
        name TEXT NOT NULL,
        PRIMARY KEY (execution_id, role, name, artifact_id)
      ) WITHOUT ROWID;
      CREATE INDEX events_by_artifact ON events(artifact_id, role);

      CREATE TABLE params (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (run_id, key)
      ) WITHOUT ROWID;

      CREATE TABLE tags (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (run_id, key)
      ) WITHOUT ROWID;

      -- The hottest table, so one index only. execution_id is not a foreign key: metrics go with their
      -- run, and a key would need a second index to keep each execution delete from scanning the table
      -- (logMetrics checks the execution belongs to the run instead). value NULL stands for NaN, which
      -- SQLite cannot store and a diverging loss produces.
      CREATE TABLE metrics (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        execution_id INTEGER,
        key TEXT NOT NULL,
        step INTEGER NOT NULL,
        value REAL,
        timestamp INTEGER NOT NULL
      );
      CREATE INDEX metrics_by_key ON metrics(run_id, key, step);
    `,
  },
  {
    version: 2,
    sql: `
      -- Tuning trials are child runs of the run that tuned; they go with it when it is deleted.
      ALTER TABLE runs ADD COLUMN parent_run_id INTEGER REFERENCES runs(id) ON DELETE CASCADE;
      CREATE INDEX runs_by_parent ON runs(parent_run_id) WHERE parent_run_id IS NOT NULL;
    `,
  },
  {
    version: 3,
    sql: `
      -- The model registry. Versions outlive the run that trained them: deleting the run clears run_id,
      -- and deleteRun keeps the artifacts a version points at (uri, evaluation_uri).
      CREATE TABLE models (
        name TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE model_versions (
        model TEXT NOT NULL REFERENCES models(name),
        version INTEGER NOT NULL CHECK (version > 0),
        run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
        uri TEXT NOT NULL,
        weights_hash TEXT NOT NULL,
        task TEXT NOT NULL,
        -- NULL: never evaluated.
        blessed INTEGER CHECK (blessed IN (0, 1)),
        evaluation_uri TEXT,
        metrics TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER NOT NULL,
        pushed_to TEXT,
        forced INTEGER NOT NULL DEFAULT 0 CHECK (forced IN (0, 1)),
        PRIMARY KEY (model, version)
      );
      -- Serves the SET NULL when a run is deleted and the "already registered?" lookup of a push.
      CREATE INDEX model_versions_by_run ON model_versions(run_id) WHERE run_id IS NOT NULL;

      CREATE TABLE model_aliases (
        model TEXT NOT NULL,
        alias TEXT NOT NULL,
        version INTEGER NOT NULL,
        PRIMARY KEY (model, alias),
        FOREIGN KEY (model, version) REFERENCES model_versions(model, version)
      ) WITHOUT ROWID;

      -- Append-only: every alias change with who/why, which rollback walks back through.
      CREATE TABLE alias_history (
        id INTEGER PRIMARY KEY,
        model TEXT NOT NULL REFERENCES models(name),
        alias TEXT NOT NULL,
        from_version INTEGER,
        to_version INTEGER,
        at INTEGER NOT NULL,
        reason TEXT NOT NULL,
        forced INTEGER NOT NULL CHECK (forced IN (0, 1))
      );
      CREATE INDEX alias_history_by_alias ON alias_history(model, alias, id);
    `,
  },
  {
    version: 4,
    sql: `
      -- Monitoring alerts: one per fired check of one window of served rows. Unique, so a window read
      -- again (a restarted mlops monitor --follow) finds its alert instead of raising a second one.
      -- method: the comparator (drift) or 'value' / 'change' (performance), never NULL so UNIQUE holds.
      CREATE TABLE alerts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        model TEXT NOT NULL,
        version INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('drift', 'prediction_drift', 'performance')),
        subject TEXT NOT NULL,
        method TEXT NOT NULL,
        value REAL,
        threshold REAL,
        window_key TEXT NOT NULL,
        window_start INTEGER NOT NULL,
        window_end INTEGER NOT NULL,
        window_rows INTEGER NOT NULL,
        message TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (model, version, window_key, kind, subject, method)
      );
      CREATE INDEX alerts_by_model ON alerts(model, id);

      -- What an alert set off, at most once per action: the row is claimed before the action runs.
      CREATE TABLE alert_actions (
        alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
        action TEXT NOT NULL CHECK (action IN ('notify', 'retrain', 'rollback')),
        outcome TEXT NOT NULL CHECK (outcome IN ('started', 'done', 'skipped', 'failed')),
        detail TEXT NOT NULL,
        run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (alert_id, action)
      ) WITHOUT ROWID;
      CREATE INDEX alert_actions_by_run ON alert_actions(run_id) WHERE run_id IS NOT NULL;
    `,
  },
  {
    version: 5,
    sql: `
      -- Every checked window of served rows, the Monitoring panel's time series. Unique per model and
      -- window key, so a window read again (a restarted monitor) replaces its report instead of
      -- adding a second point. report: the WindowReport as JSON.
      CREATE TABLE monitor_windows (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        model TEXT NOT NULL,
        window_key TEXT NOT NULL,
        version INTEGER NOT NULL,
        window_start INTEGER NOT NULL,
        window_end INTEGER NOT NULL,
        report TEXT NOT NULL,
        checked_at INTEGER NOT NULL,
        UNIQUE (model, window_key)
      );
      CREATE INDEX monitor_windows_by_time ON monitor_windows(model, window_end);
    `,
  },
  {
    version: 6,
    sql: `
      -- What ran the run, for reproducing it and for bug reports: Node (Electron's, from the editor),
      -- the SQLite driver (node:sqlite or better-sqlite3) and its SQLite. NULL on older runs.
      ALTER TABLE runs ADD COLUMN node_version TEXT;
      ALTER TABLE runs ADD COLUMN sqlite_driver TEXT;
      ALTER TABLE runs ADD COLUMN sqlite_version TEXT;
    `,
  },
  {
    version: 7,
    sql: `
      -- A person pointed the alias back at an earlier version (mlops rollback): a pipeline's push
      -- must not move it forward to the version rolled back from. Older rollbacks kept their default reason.
      ALTER TABLE alias_history ADD COLUMN rollback INTEGER NOT NULL DEFAULT 0;
      UPDATE alias_history SET rollback = 1 WHERE reason LIKE 'rollback from version %';
    `,
  },
  {
    version: 8,
    sql: `
      -- What reproducing a run needs besides its records: the pipeline file and the step scripts it ran,
      -- each content stored once (sha256:<hex>) however many runs used it, and which run a run reproduces.
      CREATE TABLE contents (
        hash TEXT PRIMARY KEY,
        bytes BLOB NOT NULL
      );

      CREATE TABLE run_files (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        -- Absolute, as the run resolved it.
        path TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('pipeline', 'script')),
        hash TEXT NOT NULL REFERENCES contents(hash),
        PRIMARY KEY (run_id, path)
      ) WITHOUT ROWID;
      -- Deleting a run drops the contents no other run uses.
      CREATE INDEX run_files_by_hash ON run_files(hash);

      ALTER TABLE runs ADD COLUMN reproduces_run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL;
      CREATE INDEX runs_by_reproduced ON runs(reproduces_run_id) WHERE reproduces_run_id IS NOT NULL;
    `,
  },
  {
    version: 9,
    sql: `
      -- What started a run that no person started (mlops watch, a monitor alert): JSON of
      -- src/core/triggers/types.ts RunTrigger; NULL for a run a person started.
      ALTER TABLE runs ADD COLUMN trigger TEXT;
      -- A running mlops watch per pipeline file: mlops monitor leaves an alert's retrain to it, so
      -- triggered runs of one pipeline go one at a time. The pid and host tell a live one from a dead one.
      CREATE TABLE watchers (
        pipeline_file TEXT PRIMARY KEY,
        pid INTEGER NOT NULL,
        hostname TEXT NOT NULL,
        started_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 10,
    sql: `
      -- Lineage: what was recorded at a path (a data file named by a person), and a version's
      -- monitored windows (the served part of its graph) without scanning every window of the model.
      CREATE INDEX artifacts_by_uri ON artifacts(uri);
      CREATE INDEX monitor_windows_by_version ON monitor_windows(model, version);
    `,
  },
];

export const STORE_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** Brings a store at any older version (0 is a new, empty file) up to STORE_VERSION. */
export function migrate(ctx: StoreContext): void {
  ctx.write(() => {
    // Read inside the write transaction: another process may have migrated since we last looked.
    const from = ctx.pragma('user_version') as number;
    for (const step of MIGRATIONS) if (step.version > from) ctx.db.exec(step.sql);
    if (from < STORE_VERSION) ctx.db.exec(`PRAGMA user_version = ${STORE_VERSION}`);
  });
}
