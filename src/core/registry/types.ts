/**
 * The model registry: models, their versions (a trained model package from a run), aliases
 * (`production`, `staging`, any name) and the history of every alias change. Stored in the run
 * store (migration 3); see src/core/store/registry.ts for the queries and push.ts for deployment.
 */

export interface ModelRecord {
  name: string;
  createdAt: number;
  /** Highest version number (0 when none yet). */
  latestVersion: number;
  versionCount: number;
  /** Alias → version. */
  aliases: Record<string, number>;
}

export interface ModelVersionRecord {
  model: string;
  version: number;
  /** The run that trained it (null once that run is deleted). */
  runId: number | null;
  /** The model package folder the version refers to (the run's artifact). */
  uri: string;
  weightsHash: string;
  task: string;
  /** null: never evaluated; otherwise the evaluate component's verdict. */
  blessed: boolean | null;
  /** Folder of the blessing/evaluation artifacts, when evaluated. */
  evaluationUri: string | null;
  /** Headline metrics shown beside the version (Overall evaluation metrics, else training metrics). */
  metrics: Record<string, number>;
  createdAt: number;
  /** Where it was last pushed: `<destination>/<version>`; null when never pushed. */
  pushedTo: string | null;
  /** Pushed although not blessed (`--force`). */
  forced: boolean;
  /** Aliases pointing at it now. */
  aliases: string[];
}

/** What registering a version takes: the rest (number, dates, aliases, where pushed) the registry sets. */
export type NewModelVersion = Pick<ModelVersionRecord, 'model' | 'runId' | 'uri' | 'weightsHash' | 'task' | 'blessed' | 'evaluationUri' | 'metrics'>;

export interface AliasChange {
  model: string;
  alias: string;
  /** null when the alias did not exist before. */
  fromVersion: number | null;
  /** null when the alias was removed. */
  toVersion: number | null;
  at: number;
  /** Why: "pushed by run #12", "rollback", "mlops push --force", a user's text. */
  reason: string;
  forced: boolean;
  /** A person pointed the alias back at an earlier version (`mlops rollback`, Roll Back in the editor). */
  rollback: boolean;
}

/**
 * What a user types to name a model: a run id (`12`, `#12`), `name@version` (`taxi@3`),
 * `name@alias` (`taxi@production`) or a bare `name` (its production version).
 */
export type ModelRef = { kind: 'run'; runId: number } | { kind: 'version'; model: string; version: number } | { kind: 'alias'; model: string; alias: string };

export interface PushRequest {
  /** The version to push: an existing one, or a new one registered from a run's model. */
  target: { kind: 'existing'; model: string; version: number } | { kind: 'new'; version: NewModelVersion };
  /** Default `production`. */
  alias: string;
  /** Base folder; the version lands in `<destination>/<version>/`. Default: `serving/<model>` beside the store. */
  destination?: string;
  /** Push an unblessed (or never evaluated) version anyway; recorded in the alias history. */
  force: boolean;
  reason: string;
  /**
   * A pipeline's push: leave the alias where a person rolled it back, rather than move it to the
   * version rolled back from (a retrain reusing its cached model would otherwise re-promote it).
   */
  respectRollbacks?: boolean;
}

export interface PushOutcome {
  version: ModelVersionRecord;
  /** `<destination>/<version>`. */
  pushedTo: string;
  /** The version the alias pointed at before (null when it did not exist). */
  previous: number | null;
  /** True when this push registered the version. */
  registered: boolean;
  /** Set when the alias was left alone: the rollback away from this version (see `respectRollbacks`). */
  heldBy?: AliasChange;
}
