import { UserError } from '../util/problems';
import type { StoreContext } from './context';
import { getModelVersion, modelVersionsByUri } from './registry';
import { ARTIFACT_COLUMNS, EXECUTION_COLUMNS, idList, toArtifact, toExecution } from './rows';
import type { ModelVersionRecord } from '../registry/types';
import type {
  ArtifactRecord,
  EventRecord,
  ExecutionRecord,
  LineageDirection,
  LineageEdge,
  LineageGraph,
  LineageModelVersion,
  LineageMonitoring,
  LineageNode,
  LineageQuery,
} from './types';

export const executionNodeId = (id: number): string => `execution:${id}`;
export const artifactNodeId = (id: number): string => `artifact:${id}`;
export const versionNodeId = (model: string, version: number): string => `model:${model}@${version}`;
export const monitoringNodeId = (model: string, version: number): string => `monitoring:${model}@${version}`;

const DEFAULT_DEPTH = 50;
const DEFAULT_MAX_NODES = 400;
const LATEST_ALERTS = 5;

/**
 * The connected part of the store around a run, artifacts or a model version, walked breadth-first
 * an execution at a time with a few indexed queries per step, so its cost follows the graph's size,
 * not the store's. Upstream, each artifact comes from the execution that first wrote it (a cached
 * execution only re-links it); downstream, only executions that built something count, so a data
 * file reused by a thousand cached runs does not pull in a thousand nodes.
 */
export function lineageGraph(ctx: StoreContext, query: LineageQuery): LineageGraph {
  return ctx.read(() => new LineageWalk(ctx, query).run());
}

class LineageWalk {
  private readonly executions = new Map<number, ExecutionRecord>();
  private readonly artifacts = new Map<number, ArtifactRecord>();
  private readonly events = new Map<string, EventRecord>();
  private readonly versions = new Map<string, LineageModelVersion & { uri: string }>();
  private readonly direction: LineageDirection;
  private readonly depth: number;
  private readonly maxNodes: number;
  private truncated = false;

  constructor(
    private readonly ctx: StoreContext,
    private readonly query: LineageQuery,
  ) {
    this.direction = query.direction ?? 'both';
    this.depth = query.depth ?? DEFAULT_DEPTH;
    this.maxNodes = query.maxNodes ?? DEFAULT_MAX_NODES;
  }

  run(): LineageGraph {
    const { subjects, artifactIds } = this.seed();
    if (this.direction !== 'down') this.walk(artifactIds, (ids) => this.producers(ids), 'input');
    if (this.direction !== 'up') this.walk(artifactIds, (ids) => this.consumers(ids), 'output');
    const versions = this.direction === 'up' ? [...this.versions.values()] : this.registeredVersions();
    const monitoring = this.direction === 'up' ? [] : this.monitoring(versions);
    return { subjects, direction: this.direction, ...this.assemble(versions, monitoring), truncated: this.truncated };
  }

  /** The subject's nodes, and the artifacts the walk starts from (both ways). */
  private seed(): { subjects: string[]; artifactIds: number[] } {
    const { subject } = this.query;
    switch (subject.kind) {
      case 'run': {
        const ids = this.ctx.statement('SELECT id FROM executions WHERE run_id = ? ORDER BY id').column(subject.runId) as number[];
        if (ids.length === 0 && !this.ctx.statement('SELECT 1 FROM runs WHERE id = ?').get(subject.runId)) {
          throw UserError.at(`there is no run ${subject.runId} in the run store ${this.ctx.path}`);
        }
        this.addExecutions(ids);
        return { subjects: ids.map(executionNodeId), artifactIds: [...this.artifacts.keys()] };
      }
      case 'artifact': {
        // A file read by more runs than the graph holds: its newest artifacts (ids come newest first).
        const ids = subject.artifactIds.slice(0, this.maxNodes);
        if (ids.length < subject.artifactIds.length) this.truncated = true;
        const found = this.fetchArtifacts(ids);
        const missing = ids.filter((id) => !found.some((a) => a.id === id));
        if (missing.length > 0) throw UserError.at(`there is no artifact ${missing.join(', ')} in the run store ${this.ctx.path}`);
        for (const a of found) this.artifacts.set(a.id, a);
        return { subjects: ids.map(artifactNodeId), artifactIds: ids };
      }
      case 'model': {
        const version = getModelVersion(this.ctx, subject.model, subject.version);
        if (!version) throw UserError.at(`there is no model version ${subject.model}@${subject.version} in the run store ${this.ctx.path}`);
        this.versions.set(versionNodeId(version.model, version.version), { ...lineageVersion(version), uri: version.uri });
        const artifactIds = this.versionArtifacts(version);
        for (const a of this.fetchArtifacts(artifactIds)) this.artifacts.set(a.id, a);
        return { subjects: [versionNodeId(version.model, version.version)], artifactIds };
      }
    }
  }

  /**
   * From the frontier, `depth` steps of: the executions `next` finds, then the artifacts on their
   * far side (`role`: inputs going up, outputs going down).
   */
  private walk(start: number[], next: (artifactIds: number[]) => number[], role: EventRecord['role']): void {
    let frontier = start;
    for (let step = 0; step < this.depth && frontier.length > 0 && !this.truncated; step++) {
      const added = this.addExecutions(next(frontier));
      const addedSet = new Set(added);
      frontier = [...new Set([...this.events.values()].filter((e) => addedSet.has(e.executionId) && e.role === role).map((e) => e.artifactId))];
    }
  }

  /**
   * The execution that first wrote each artifact (the earliest: whoever reused it came later),
   * unless one here already did. A cached execution here only re-linked it, so its original is
   * looked up too: that is where the data files it read are recorded.
   */
  private producers(artifactIds: number[]): number[] {
    const produced = new Set(
      [...this.events.values()].filter((e) => e.role === 'output' && this.executions.get(e.executionId)?.status !== 'cached').map((e) => e.artifactId),
    );
    const open = artifactIds.filter((id) => !produced.has(id));
    if (open.length === 0) return [];
    return (
      this.ctx
        .statement(
          `SELECT (SELECT ev.execution_id FROM events ev WHERE ev.artifact_id = j.value AND ev.role = 'output'
                   ORDER BY ev.execution_id LIMIT 1) AS producer
           FROM json_each(?) j`,
        )
        .column(idList(open)) as (number | null)[]
    ).filter((id): id is number => id !== null);
  }

  /** Executions that read the artifacts and built something (not cached), newest first, as many as fit. */
  private consumers(artifactIds: number[]): number[] {
    return this.ctx
      .statement(
        `SELECT DISTINCT ev.execution_id FROM events ev JOIN executions e ON e.id = ev.execution_id
         WHERE ev.artifact_id IN (SELECT value FROM json_each(?)) AND ev.role = 'input' AND e.status <> 'cached'
         ORDER BY ev.execution_id DESC LIMIT ?`,
      )
      .column(idList(artifactIds), this.room() + 1) as number[];
  }

  private room(): number {
    return Math.max(0, this.maxNodes - this.executions.size - this.artifacts.size);
  }

  /** Adds executions with all their events and artifacts (so siblings show); returns those that were new. */
  private addExecutions(ids: number[]): number[] {
    let fresh = [...new Set(ids)].filter((id) => !this.executions.has(id));
    if (fresh.length > this.room()) {
      fresh = fresh.slice(0, this.room());
      this.truncated = true;
    }
    if (fresh.length === 0) return [];
    const list = idList(fresh);
    for (const row of this.ctx.statement(`SELECT ${EXECUTION_COLUMNS} FROM executions e WHERE e.id IN (SELECT value FROM json_each(?))`).all(list)) {
      const execution = toExecution(row);
      this.executions.set(execution.id, execution);
    }
    const events = this.ctx
      .statement(
        `SELECT execution_id AS executionId, artifact_id AS artifactId, role, name FROM events
         WHERE execution_id IN (SELECT value FROM json_each(?)) ORDER BY execution_id, role, name, artifact_id`,
      )
      .all(list) as EventRecord[];
    for (const e of events) this.events.set(`${e.executionId}/${e.role}/${e.name}/${e.artifactId}`, e);
    for (const a of this.fetchArtifacts(events.map((e) => e.artifactId).filter((id) => !this.artifacts.has(id)))) this.artifacts.set(a.id, a);
    return fresh;
  }

  private fetchArtifacts(ids: readonly number[]): ArtifactRecord[] {
    if (ids.length === 0) return [];
    return this.ctx
      .statement(`SELECT ${ARTIFACT_COLUMNS} FROM artifacts a WHERE a.id IN (SELECT value FROM json_each(?)) ORDER BY a.id`)
      .all(idList([...new Set(ids)]))
      .map((row) => toArtifact(row));
  }

  /**
   * A version's package and the push that made it a version (so walking up passes through the
   * evaluation that blessed it): outputs of the run that registered it, else any artifact at its
   * folder (the run was deleted).
   */
  private versionArtifacts(version: ModelVersionRecord): number[] {
    if (version.runId !== null) {
      const ofRun = this.ctx
        .statement(
          `SELECT DISTINCT ev.artifact_id FROM executions e JOIN events ev ON ev.execution_id = e.id AND ev.role = 'output'
           JOIN artifacts a ON a.id = ev.artifact_id WHERE e.run_id = @runId AND (a.uri = @uri OR (a.type = 'PushedModel'
             AND json_extract(a.properties, '$.model') = @model AND json_extract(a.properties, '$.version') = @version))
           ORDER BY ev.artifact_id`,
        )
        .column({ runId: version.runId, uri: version.uri, model: version.model, version: version.version }) as number[];
      if (ofRun.length > 0) return ofRun;
    }
    return this.ctx.statement('SELECT id FROM artifacts WHERE uri = ? ORDER BY id LIMIT 1').column(version.uri) as number[];
  }

  /** Versions registered from the graph's model packages, besides the subject's own. */
  private registeredVersions(): (LineageModelVersion & { uri: string })[] {
    const uris = [...this.artifacts.values()].filter((a) => a.type === 'Model').map((a) => a.uri);
    for (const v of modelVersionsByUri(this.ctx, uris)) this.versions.set(versionNodeId(v.model, v.version), { ...lineageVersion(v), uri: v.uri });
    return [...this.versions.values()];
  }

  private monitoring(versions: LineageModelVersion[]): LineageMonitoring[] {
    return versions.flatMap((v) => {
      const windows = this.ctx
        .statement(
          `SELECT count(*) AS windows, min(window_end) AS firstWindowEnd, max(window_end) AS lastWindowEnd
           FROM monitor_windows WHERE model = ? AND version = ?`,
        )
        .get(v.model, v.version) as Pick<LineageMonitoring, 'windows' | 'firstWindowEnd' | 'lastWindowEnd'>;
      const { alerts } = this.ctx.statement('SELECT count(*) AS alerts FROM alerts WHERE model = ? AND version = ?').get(v.model, v.version) as {
        alerts: number;
      };
      if (windows.windows === 0 && alerts === 0) return [];
      const latestAlerts = this.ctx
        .statement(
          `SELECT id, kind, subject, message, created_at AS createdAt FROM alerts WHERE model = ? AND version = ?
           ORDER BY id DESC LIMIT ${LATEST_ALERTS}`,
        )
        .all(v.model, v.version) as LineageMonitoring['latestAlerts'];
      const retrainRunIds = this.ctx
        .statement(
          `SELECT DISTINCT act.run_id FROM alerts al JOIN alert_actions act ON act.alert_id = al.id
           WHERE al.model = ? AND al.version = ? AND act.action = 'retrain' AND act.run_id IS NOT NULL ORDER BY act.run_id`,
        )
        .column(v.model, v.version) as number[];
      return [{ model: v.model, version: v.version, ...windows, alerts, latestAlerts, retrainRunIds }];
    });
  }

  /** For a cached execution, the original whose outputs it reused (none when that run was deleted). */
  private reusedFrom(execution: ExecutionRecord): { executionId: number; runId: number } | null {
    if (execution.status !== 'cached') return null;
    const row = this.ctx
      .statement(
        `SELECT e.id AS executionId, e.run_id AS runId FROM events mine
         JOIN events ev ON ev.artifact_id = mine.artifact_id AND ev.role = 'output'
         JOIN executions e ON e.id = ev.execution_id AND e.status <> 'cached'
         WHERE mine.execution_id = ? AND mine.role = 'output' ORDER BY e.id LIMIT 1`,
      )
      .get(execution.id) as { executionId: number; runId: number } | undefined;
    return row ?? null;
  }

  private assemble(versions: (LineageModelVersion & { uri: string })[], monitoring: LineageMonitoring[]): Pick<LineageGraph, 'nodes' | 'edges'> {
    const nodes: LineageNode[] = [
      ...[...this.executions.values()]
        .sort((a, b) => a.id - b.id)
        .map((execution): LineageNode => ({ id: executionNodeId(execution.id), kind: 'execution', execution, reusedFrom: this.reusedFrom(execution) })),
      ...[...this.artifacts.values()]
        .sort((a, b) => a.id - b.id)
        .map((artifact): LineageNode => ({ id: artifactNodeId(artifact.id), kind: 'artifact', artifact })),
      ...versions.map(({ uri: _uri, ...version }): LineageNode => ({ id: versionNodeId(version.model, version.version), kind: 'modelVersion', version })),
      ...monitoring.map((m): LineageNode => ({ id: monitoringNodeId(m.model, m.version), kind: 'monitoring', monitoring: m })),
    ];
    const edges: LineageEdge[] = [...this.events.values()].map((e) =>
      e.role === 'input'
        ? { from: artifactNodeId(e.artifactId), to: executionNodeId(e.executionId), kind: 'input', name: e.name }
        : { from: executionNodeId(e.executionId), to: artifactNodeId(e.artifactId), kind: 'output', name: e.name },
    );
    for (const v of versions) {
      const to = versionNodeId(v.model, v.version);
      const pushes = [...this.artifacts.values()].filter(
        (a) => a.type === 'PushedModel' && a.properties.model === v.model && a.properties.version === v.version,
      );
      const packages = [...this.artifacts.values()].filter((a) => a.type === 'Model' && a.uri === v.uri);
      for (const a of pushes) edges.push({ from: artifactNodeId(a.id), to, kind: 'pushed' });
      // A version pushed by hand (mlops push) has no PushedModel: it hangs off the package.
      if (pushes.length === 0) for (const a of packages) edges.push({ from: artifactNodeId(a.id), to, kind: 'registered' });
    }
    for (const m of monitoring) edges.push({ from: versionNodeId(m.model, m.version), to: monitoringNodeId(m.model, m.version), kind: 'served' });
    return { nodes, edges };
  }
}

function lineageVersion(v: LineageModelVersion): LineageModelVersion {
  return { model: v.model, version: v.version, runId: v.runId, blessed: v.blessed, aliases: v.aliases, createdAt: v.createdAt, pushedTo: v.pushedTo };
}
