import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describeTrigger, triggerKindLabel } from '../../core/triggers/trigger';
import { ownedArtifactPaths } from '../../core/runner/publish';
import type { RunDetails, RunFileRecord, RunRecord, RunStatus } from '../../core/store/types';
import { UserError } from '../../core/util/problems';
import { defineCommand, flag, numberOption, option, repeatable } from '../args';
import { artifactsRootFor, openStoreForReading, openStoreForWriting } from '../storePath';
import { elapsed, formatBytes, formatDuration, formatMetric, formatTimestamp, shortHash } from '../../core/util/format';
import { print, statusStyle, style, table } from '../style';

const STATUSES: RunStatus[] = ['running', 'complete', 'failed', 'canceled', 'interrupted'];

export const runsListCommand = defineCommand({
  name: 'runs list',
  summary: 'List runs, newest first.',
  arguments: [],
  options: [
    option('pipeline', 'NAME', 'only runs of this pipeline'),
    repeatable('status', 'STATUS', `only runs with this status (${STATUSES.join(', ')}); repeatable`),
    numberOption('limit', 'N', 'at most N runs (default 50)'),
    numberOption('offset', 'N', 'skip the first N runs (paging)'),
    flag('json', 'print { runs, total } as JSON'),
  ],
  examples: ['mlops runs list', 'mlops runs list --pipeline taxi --status failed --json'],
  async run({ options }) {
    const status = options.status ?? [];
    for (const s of status) {
      if (!STATUSES.includes(s as RunStatus)) throw UserError.at(`unknown status '${s}'`, undefined, `use one of: ${STATUSES.join(', ')}`);
    }
    const store = openStoreForReading(options.store);
    try {
      const page = store?.listRuns({
        pipeline: options.pipeline,
        status: status.length ? (status as RunStatus[]) : undefined,
        limit: options.limit ?? 50,
        offset: options.offset ?? 0,
        sort: 'startedAt',
        order: 'desc',
      }) ?? { runs: [], total: 0 };
      if (options.json) {
        print(JSON.stringify(page, null, 2));
        return 0;
      }
      if (page.runs.length === 0) {
        print(page.total ? `no runs on this page (${page.total} in all)` : 'no runs yet: start one with `mlops run <pipeline file>`');
        return 0;
      }
      print(table(['ID', 'PIPELINE', 'STATUS', 'COMPONENT', 'STARTED', 'DURATION', 'TRIGGER'], page.runs.map(runRow)));
      if (page.total > page.runs.length) print(style.dim(`${page.runs.length} of ${page.total} runs; see more with --offset / --limit`));
      return 0;
    } finally {
      store?.close();
    }
  },
});

export const runsShowCommand = defineCommand({
  name: 'runs show',
  summary: 'Show one run: status, provenance, parameters, metrics, executions and artifacts.',
  arguments: [{ name: 'run-id', description: 'the run number shown by `mlops runs list`' }],
  options: [flag('json', 'print the run details as JSON')],
  examples: ['mlops runs show 12', 'mlops runs show 12 --json'],
  async run({ positionals, options }) {
    const id = runId(positionals['run-id']);
    const store = openStoreForReading(options.store);
    try {
      const details = store?.getRunDetails(id);
      if (!details) throw noSuchRun(id);
      print(options.json ? JSON.stringify(details, null, 2) : renderDetails(details, store!.runFiles(id)));
      return 0;
    } finally {
      store?.close();
    }
  },
});

export const runsDeleteCommand = defineCommand({
  name: 'runs delete',
  summary: 'Delete a run with its executions, parameters and metrics, and the artifact files only it produced. Input data is never deleted.',
  arguments: [{ name: 'run-id', description: 'the run number shown by `mlops runs list`' }],
  options: [],
  async run({ positionals, options }) {
    const id = runId(positionals['run-id']);
    const { store, storePath } = openStoreForWriting(options.store);
    try {
      const run = store.getRun(id);
      if (!run) throw noSuchRun(id);
      if (run.status === 'running') throw UserError.at(`run #${id} is still running`, undefined, 'cancel it first (Ctrl+C in its terminal)');
      const artifactUris = store.deleteRun(id);
      const owned = ownedArtifactPaths(artifactUris, artifactsRootFor(storePath));
      await Promise.all(owned.map((uri) => fs.rm(uri, { recursive: true, force: true })));
      print(`deleted run #${id}${owned.length ? ` and ${owned.length} artifact${owned.length > 1 ? 's' : ''}` : ''}`);
      return 0;
    } finally {
      store.close();
    }
  },
});

/** A store that does not exist yet reads as one with no runs: nothing has run here. */
function runId(text: string): number {
  const id = Number(text.replace(/^#/, ''));
  if (!Number.isInteger(id) || id <= 0) throw UserError.at(`'${text}' is not a run id`, undefined, 'run ids are the numbers `mlops runs list` shows');
  return id;
}

function noSuchRun(id: number): UserError {
  return UserError.at(`no run #${id} in this store`, undefined, 'see `mlops runs list`; use --store to pick another store');
}

function paint(status: string): string {
  return (statusStyle[status] ?? ((s: string) => s))(status);
}

function runRow(r: RunRecord): string[] {
  const duration = elapsed(r.startedAt, r.endedAt, Date.now());
  return [
    `#${r.id}`,
    r.pipelineName,
    paint(r.status),
    r.component ?? 'all',
    formatTimestamp(r.startedAt),
    duration === undefined ? '–' : formatDuration(duration),
    r.trigger ? triggerKindLabel(r.trigger) : '–',
  ];
}

function renderDetails(d: RunDetails, files: RunFileRecord[]): string {
  const r = d.run;
  const lines: string[] = [];
  lines.push(style.bold(`Run #${r.id} · ${r.pipelineName} · `) + paint(r.status));
  lines.push(`  file       ${r.pipelineFile}`);
  lines.push(`  started    ${formatTimestamp(r.startedAt)}${r.endedAt ? `, took ${formatDuration(r.endedAt - r.startedAt)}` : ''}`);
  if (r.component) lines.push(`  component  ${r.component} (and what it needs)`);
  if (r.trigger) lines.push(`  trigger    ${describeTrigger(r.trigger, path.dirname(r.pipelineFile))}`);
  if (r.reproducesRunId !== null) lines.push(`  reproduces run #${r.reproducesRunId}`);
  lines.push(
    `  source     ${r.gitCommit ? `git ${r.gitCommit.slice(0, 12)}${r.gitDirty ? ' (uncommitted changes)' : ''}` : 'not in a git repository'} · file ${shortHash(r.pipelineHash)}`,
  );
  lines.push(`  tool       mlops ${r.toolVersion}${r.tfjsBackend ? ` · tfjs ${r.tfjsBackend}` : ''} · seed ${r.seed ?? '-'}`);
  if (r.nodeVersion) lines.push(`  runtime    Node ${r.nodeVersion} · ${r.sqliteDriver} (SQLite ${r.sqliteVersion})`);
  if (files.length)
    lines.push(`  stored     ${files.map((f) => `${path.basename(f.path)} ${shortHash(f.hash)}`).join(' · ')} (mlops reproduce ${r.id} runs these)`);
  if (r.error) lines.push('', style.red('Error:'), ...r.error.split('\n').map((l) => '  ' + l));
  lines.push('', style.bold('Components'));
  lines.push(
    table(
      ['COMPONENT', 'STATUS', 'DURATION'],
      d.executions.map((e) => [e.component, paint(e.status), formatDuration(elapsed(e.startedAt, e.endedAt, Date.now()) ?? NaN)]),
    ),
  );
  if (d.metrics.length) {
    lines.push('', style.bold('Metrics'));
    lines.push(
      table(
        ['KEY', 'VALUE', 'STEP', 'POINTS'],
        d.metrics.map((m) => [m.key, formatMetric(m.value), String(m.step), String(m.points)]),
      ),
    );
  }
  const params = Object.entries(d.params);
  if (params.length) {
    lines.push('', style.bold('Parameters'));
    lines.push(
      table(
        ['KEY', 'VALUE'],
        params.map(([k, v]) => [k, v]),
      ),
    );
  }
  if (d.artifacts.length) {
    lines.push('', style.bold('Artifacts'));
    lines.push(
      table(
        ['COMPONENT', 'ROLE', 'NAME', 'TYPE', 'SIZE', 'HASH', 'PATH'],
        d.artifacts.map((a) => {
          const component = d.executions.find((e) => e.id === a.executionId)?.component ?? '?';
          return [component, a.role, a.name, a.type, formatBytes(a.sizeBytes), shortHash(a.contentHash), a.uri];
        }),
      ),
    );
  }
  return lines.join('\n');
}
