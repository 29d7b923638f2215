import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadPipeline } from '../../core/pipeline/load';
import { ExitCode } from '../../core/runner/events';
import type { WatchEvent } from '../../core/triggers/events';
import { startTriggeredRun } from '../../core/triggers/launch';
import { Watcher } from '../../core/triggers/watcher';
import { defineCommand, flag } from '../args';
import { renderWatchEvent } from '../report/watch';
import { openStoreForWriting } from '../storePath';
import { print } from '../style';

/** The most a trigger waits to be seen; a short settle time is looked at more often. */
const MAX_POLL_MS = 1000;
const MIN_POLL_MS = 50;

export const watchCommand = defineCommand({
  name: 'watch',
  summary:
    'Run a pipeline by itself until Ctrl+C: when a new span file under data.train is written, on triggers.schedule, and on a monitoring alert whose actions include retrain. One run at a time; each run records its trigger.',
  arguments: [{ name: 'pipeline', description: 'pipeline file (*.pipeline.yaml, .yml or .json)' }],
  options: [flag('json', "print one JSON event a line (the runs' own output goes to stderr)")],
  examples: ['mlops watch taxi.pipeline.yaml', 'mlops watch taxi.pipeline.yaml --json'],
  async run({ positionals, options }) {
    const config = await loadPipeline(path.resolve(positionals.pipeline));
    const json = Boolean(options.json);
    const { store, storePath } = openStoreForWriting(options.store);
    const report = (event: WatchEvent) => print(json ? JSON.stringify(event) : renderWatchEvent(event, config.dir));
    const stop = new AbortController();
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    const onSignal = (signal: NodeJS.Signals) => stop.abort(signal);
    try {
      store.registerWatcher(config.file);
      signals.forEach((s) => process.on(s, onSignal));
      const watcher = new Watcher({
        config,
        store,
        report,
        start: (trigger) => startTriggeredRun({ cli: process.argv[1], pipelineFile: config.file, storePath, trigger, output: { stdout: json ? 2 : 1 } }),
      });
      await watcher.start();
      const pollMs = Math.max(MIN_POLL_MS, Math.min(MAX_POLL_MS, config.triggers.settleMs / 2));
      while (!stop.signal.aborted) {
        await watcher.check();
        await sleep(pollMs, undefined, { signal: stop.signal }).catch(() => undefined);
      }
      await watcher.stop();
      report({ type: 'stopped', signal: String(stop.signal.reason) });
      return ExitCode.canceled;
    } finally {
      signals.forEach((s) => process.off(s, onSignal));
      store.unregisterWatcher(config.file);
      store.close();
    }
  },
});
