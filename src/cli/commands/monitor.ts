import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadVersionReference, MonitorSession, readLabelsFile, retrainInChildProcess, ServingLog } from '../../core/monitor';
import type { MalformedLine, PassOutcome } from '../../core/monitor';
import { registryModelName } from '../../core/pipeline/analysisSections';
import type { PipelineConfig } from '../../core/pipeline/config';
import { loadPipeline } from '../../core/pipeline/load';
import { defaultMonitorConfig } from '../../core/pipeline/monitorSection';
import { DEFAULT_ALIAS, requireModel } from '../../core/registry';
import { ExitCode } from '../../core/runner/events';
import type { RunStore } from '../../core/store';
import { UserError } from '../../core/util/problems';
import { defineCommand, flag, option } from '../args';
import { pipelineOfModel } from '../modelContext';
import { renderMalformed, renderWindow } from '../report/monitor';
import { defaultServingLogDir, openStoreForWriting, resolveStorePath } from '../storePath';
import { print, style } from '../style';
import { formatCount } from '../../core/util/format';

const POLL_MS = 1000;
const JSON_MALFORMED_LIMIT = 100;

export const monitorCommand = defineCommand({
  name: 'monitor',
  summary:
    "Check served traffic: drift against the training data, prediction drift, online metrics from ground truth; alerts and the pipeline's monitor actions. Exit 1 when an alert fired.",
  arguments: [
    { name: 'pipeline', description: 'pipeline file with the monitor section (default: the one that trained the production version)', optional: true },
  ],
  options: [
    option('model', 'NAME', "registry model to monitor (default: the pipeline's push.model, else its name)"),
    option('log-dir', 'DIR', "the server's log folder, holding <model>/requests-*.jsonl (default: serving-logs beside the run store)"),
    option('labels', 'CSV', 'ground truth: a CSV with id (served row id) and label columns; wins over feedback'),
    flag('follow', 'keep reading new traffic until Ctrl+C, checking each window as it closes'),
    flag('json', 'print the outcome as JSON (with --follow: one JSON line per window)'),
  ],
  examples: ['mlops monitor taxi.pipeline.yaml', 'mlops monitor --model taxi --labels labels.csv --json', 'mlops monitor taxi.pipeline.yaml --follow'],
  async run({ positionals, options }) {
    const storePath = resolveStorePath(options.store);
    if (!existsSync(storePath))
      throw UserError.at('there is no run store here, so no served model to monitor', { file: storePath }, 'train and push a model first, or pass --store');
    const given = positionals.pipeline === undefined ? undefined : await loadPipeline(path.resolve(positionals.pipeline));
    const { store } = openStoreForWriting(options.store);
    try {
      const model = options.model ?? (given ? registryModelName(given) : undefined);
      if (model === undefined)
        throw UserError.at(
          'which model? name the pipeline file or the registry model',
          undefined,
          'mlops monitor taxi.pipeline.yaml, or mlops monitor --model taxi',
        );
      const pipeline = given ?? (await servedPipeline(store, model));
      const monitor = pipeline?.monitor ?? defaultMonitorConfig({ file: pipeline?.file ?? storePath });
      const logDir = options['log-dir'] !== undefined ? path.resolve(options['log-dir']) : defaultServingLogDir(storePath);
      const log = await ServingLog.open(logDir, model);
      const labels = options.labels !== undefined ? await readLabelsFile(path.resolve(options.labels)) : undefined;
      const session = new MonitorSession({
        store,
        model,
        log,
        config: monitor,
        reference: (version) => loadVersionReference(store, model, version, pipeline),
        labels: labels?.labels,
        actions: {
          retrain:
            pipeline &&
            retrainInChildProcess({
              cli: process.argv[1],
              pipelineFile: pipeline.file,
              storePath,
              logFile: (alert) => path.join(log.dir, `retrain-alert-${alert.id}.log`),
            }),
          retrainWatched: pipeline && (() => store.liveWatcher(pipeline.file) !== undefined),
        },
      });
      const json = Boolean(options.json);
      const notes = new Set<string>();
      if (!json) {
        const every = 'rows' in monitor.window ? `${formatCount(monitor.window.rows)} rows` : monitor.window.text;
        print(
          style.dim(
            `monitoring ${model} · log ${path.relative(process.cwd(), log.dir) || log.dir} · windows of ${every} · actions: ${monitor.actions.join(', ')}`,
          ),
        );
        if (labels?.malformed.length) print(renderMalformed(labels.malformed));
      }
      return options.follow ? await follow(session, json, notes) : await once(session, json, notes, labels?.malformed ?? []);
    } finally {
      store.close();
    }
  },
});

/** The pipeline file of the version being served (production, else the newest), when it still exists. */
async function servedPipeline(store: RunStore, model: string): Promise<PipelineConfig | undefined> {
  const record = requireModel(store, model);
  const version = store.getModelVersion(model, record.aliases[DEFAULT_ALIAS] ?? record.latestVersion);
  return version?.runId === null || version === undefined ? undefined : pipelineOfModel(store, { runId: version.runId });
}

async function once(session: MonitorSession, json: boolean, notes: Set<string>, labelProblems: MalformedLine[]): Promise<number> {
  const pass = await session.poll();
  const { pending, late } = session.waiting;
  const malformed = [...labelProblems, ...pass.malformed];
  if (json) {
    print(
      JSON.stringify(
        {
          rows: pass.rows,
          windows: pass.windows.map(windowJson),
          pending,
          late,
          malformed: { count: malformed.length, lines: malformed.slice(0, JSON_MALFORMED_LIMIT) },
        },
        null,
        2,
      ),
    );
  } else {
    for (const w of pass.windows) print(renderWindow(w, notes));
    if (pass.malformed.length) print(renderMalformed(pass.malformed));
    const waiting = pending.map((p) => `${formatCount(p.rows)} rows of version ${p.version}`).join(', ');
    const alerts = pass.windows.reduce((n, w) => n + w.alerts.length, 0);
    print(
      style.dim(
        `read ${formatCount(pass.rows)} rows · ${pass.windows.length} window${pass.windows.length === 1 ? '' : 's'} checked` +
          (waiting ? ` · waiting for more: ${waiting}` : '') +
          (late ? ` · ${late} rows too late for their window` : ''),
      ) + (alerts ? style.red(` · ${alerts} alert${alerts === 1 ? '' : 's'}`) : ''),
    );
  }
  return alerted(pass) ? ExitCode.gateFailed : ExitCode.ok;
}

/** Polls until Ctrl+C (or SIGTERM); exit 1 when any window alerted meanwhile. */
async function follow(session: MonitorSession, json: boolean, notes: Set<string>): Promise<number> {
  const stop = new AbortController();
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  const onSignal = () => stop.abort();
  signals.forEach((s) => process.on(s, onSignal));
  let anyAlert = false;
  try {
    while (!stop.signal.aborted) {
      const pass = await session.poll();
      anyAlert ||= alerted(pass);
      for (const w of pass.windows) print(json ? JSON.stringify(windowJson(w)) : renderWindow(w, notes));
      if (pass.malformed.length) (json ? process.stderr : process.stdout).write(renderMalformed(pass.malformed) + '\n');
      await sleep(POLL_MS, undefined, { signal: stop.signal }).catch(() => undefined);
    }
  } finally {
    signals.forEach((s) => process.off(s, onSignal));
  }
  return anyAlert ? ExitCode.gateFailed : ExitCode.ok;
}

const alerted = (pass: PassOutcome) => pass.windows.some((w) => w.alerts.length > 0);

function windowJson({ report, alerts }: PassOutcome['windows'][number]) {
  return { ...report, alerts: alerts.map(({ alert, created, fired }) => ({ ...alert, created, fired })) };
}
