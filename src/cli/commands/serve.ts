import * as path from 'node:path';
import { isModelName, requireModel, syncServingFolders } from '../../core/registry';
import { ExitCode } from '../../core/runner/events';
import { ModelServer, servingFolderOf, type ServeEvent } from '../../core/serve';
import type { RunStore } from '../../core/store';
import { UserError } from '../../core/util/problems';
import { defineCommand, flag, numberOption, option } from '../args';
import { defaultServingLogDir, openStoreForReading, resolveStorePath } from '../storePath';
import { print, style } from '../style';
import { TOOL_VERSION } from '../version';

/** How often `--json` reports traffic: the editor's status bar shows requests per second. */
const TRAFFIC_EVERY_MS = 1000;

export const serveCommand = defineCommand({
  name: 'serve',
  summary: 'Serve a pushed model over HTTP (TF Serving REST, Open Inference Protocol v2, MLflow); new versions swap in without downtime.',
  arguments: [],
  options: [
    option('model', 'NAME', 'the registry model to serve, from the folder its production version was pushed to'),
    option('dir', 'DIR', 'serve this folder of <version>/ packages and aliases.json instead (the model is named after it unless --model names it)'),
    option('host', 'HOST', 'address to listen on (default 127.0.0.1; any other needs --token)'),
    numberOption('port', 'PORT', 'port to listen on (default 8501; 0 picks a free one)'),
    option('token', 'T', 'require `Authorization: Bearer T` (default: $MLOPS_SERVE_TOKEN)'),
    numberOption('sample-rate', 'R', 'share of served rows written to the request log, 0 to 1 (default 1)'),
    option('log-dir', 'DIR', 'request log folder (default: serving-logs beside the run store)'),
    flag('json', 'print one JSON line per event (ready, swapped, load-failed, ..., and traffic every second) instead of text'),
  ],
  examples: [
    'mlops serve --model taxi',
    'mlops serve --dir .mlops/serving/taxi --port 8080',
    'curl -d \'{"instances": [{"fare": 12.5, "payment_type": "Cash"}]}\' -H "Content-Type: application/json" http://127.0.0.1:8501/v1/models/taxi:predict',
  ],
  async run(args) {
    const { model, dir } = await servingTarget(args);
    const options = args.options;
    const json = options.json === true;
    const logDir = options['log-dir'] !== undefined ? path.resolve(options['log-dir']) : defaultServingLogDir(resolveStorePath(options.store));
    const sampleRate = options['sample-rate'];
    // Signals are caught from here on, so one sent right after the ready line still stops gracefully.
    const stopped = stopSignal();
    let started = false;
    const server = await ModelServer.start({
      model,
      dir,
      host: options.host,
      port: options.port,
      token: options.token ?? (process.env.MLOPS_SERVE_TOKEN || undefined),
      logDir,
      sampleRate,
      serverVersion: TOOL_VERSION,
      trafficEveryMs: json ? TRAFFIC_EVERY_MS : undefined,
      // The first version loaded at start is told by the ready message.
      onEvent: (event) => (started || json || event.kind !== 'swapped' ? report(event, json) : undefined),
    });
    started = true;
    if (json) print(JSON.stringify({ event: 'ready', url: server.url, model, version: server.defaultVersion ?? null, dir, logDir: path.join(logDir, model) }));
    else printReady(server, dir, path.join(logDir, model), sampleRate ?? 1);
    await stopped;
    if (!json) print(style.dim('stopping: finishing the requests in flight, flushing the request log…'));
    await server.close();
    if (json) print(JSON.stringify({ event: 'closed' }));
    return ExitCode.ok;
  },
});

/**
 * The folder and model name: --dir (named by --model or the folder), else --model's serving folder,
 * else the store's only model; a registered model's folder is first brought in line with the store.
 */
async function servingTarget({ options }: { options: { model?: string; dir?: string; store?: string } }): Promise<{ model: string; dir: string }> {
  const named = options.model;
  if (options.dir !== undefined) {
    const dir = path.resolve(options.dir);
    const model = named ?? path.basename(dir);
    if (!isModelName(model)) throw UserError.at(`the folder name '${model}' is not a valid model name`, { file: dir }, 'name the model with --model NAME');
    return { model, dir };
  }
  const store = openStoreForReading(options.store);
  if (!store) throw UserError.at('there is no run store here, so no registered model to serve', undefined, 'serve a folder with --dir DIR, or pass --store');
  try {
    const model = named === undefined ? onlyModel(store) : requireModel(store, named).name;
    await syncServingFolders(store, model);
    return { model, dir: servingFolderOf(store, model) };
  } finally {
    store.close();
  }
}

function onlyModel(store: RunStore): string {
  const models = store.listModels();
  if (models.length !== 1) {
    throw UserError.at(
      models.length ? 'which model? the registry has several' : 'there are no registered models to serve yet',
      { file: store.path },
      models.length ? `name one with --model: ${models.map((m) => m.name).join(', ')}` : 'push one first (`mlops push <run-id>`), or serve a folder with --dir',
    );
  }
  return models[0].name;
}

function printReady(server: ModelServer, dir: string, logDir: string, sampleRate: number): void {
  const { url, model } = server;
  const version = server.defaultVersion;
  const serving = server.status().find((s) => s.version === version);
  const aliases = serving?.aliases.length ? ` (${serving.aliases.join(', ')})` : '';
  if (version === undefined) {
    const reason = server.status().find((s) => s.error)?.error;
    print(style.yellow(`no version of ${model} can be served yet${reason ? `: ${reason}` : ` (${dir} holds none)`}; waiting for a push`));
  } else print(`${style.bold(`serving ${model}@${version}${aliases}`)} from ${dir}`);
  const endpoints: [string, string][] = [
    [`POST ${url}/v1/models/${model}:predict`, 'TF Serving REST (also /versions/{v}, /labels/{alias})'],
    [`POST ${url}/v2/models/${model}/infer`, 'Open Inference Protocol v2'],
    [`POST ${url}/invocations`, 'MLflow scoring'],
    [`POST ${url}/v1/models/${model}/feedback`, 'true labels for served rows'],
    [`GET  ${url}/metrics`, 'Prometheus'],
  ];
  const width = Math.max(...endpoints.map(([e]) => e.length));
  for (const [endpoint, what] of endpoints) print(`  ${endpoint.padEnd(width)}  ${style.dim(what)}`);
  print(style.dim(`request log: ${logDir} (${sampleRate >= 1 ? 'every row' : `${sampleRate * 100}% of rows`}); Ctrl+C stops`));
}

function report(event: ServeEvent, json: boolean): void {
  if (json) {
    const { kind, ...rest } = event;
    print(JSON.stringify({ event: kind, ...rest }));
    return;
  }
  switch (event.kind) {
    case 'loaded':
      return print(style.dim(`loaded version ${event.version} in ${Math.round(event.ms)} ms`));
    case 'swapped':
      return print(event.from === null ? `serving version ${event.to}` : style.green(`now serving version ${event.to} (was ${event.from})`));
    case 'unloaded':
      return print(style.dim(`unloaded version ${event.version}`));
    case 'load-failed':
      return warn(`version ${event.version} cannot be served: ${event.error}`);
    case 'aliases-error':
    case 'folder-error':
    case 'log-error':
      return warn(event.error);
    case 'traffic':
      return;
    case 'request-error':
      process.stderr.write(style.red(`internal error while answering a request (answered 500):\n${event.error}`) + '\n');
  }
}

function warn(text: string): void {
  process.stderr.write(style.yellow(text) + '\n');
}

/** Resolves on the first SIGINT or SIGTERM; a second one exits at once. */
function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      const force = () => process.exit(ExitCode.canceled);
      process.once('SIGINT', force);
      process.once('SIGTERM', force);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
