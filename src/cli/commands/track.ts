import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { gitState } from '../../core/runner/provenance';
import { TrackingIngest } from '../../core/tracking/ingest';
import { LoggedArtifacts, loggedOutput } from '../../core/tracking/artifacts';
import { recordFileArtifact } from '../../core/runner/fileArtifact';
import { digestPath } from '../../core/util/hash';
import { UserError } from '../../core/util/problems';
import { defineCommand, option, repeatable } from '../args';
import { openStoreForWriting } from '../storePath';
import { TOOL_VERSION } from '../version';

/** The component name of a tracked script's one execution. */
const SCRIPT_COMPONENT = 'script';

/**
 * `mlops track`: a run recorded from a script or notebook outside a pipeline, as the Python module's
 * `start_run()` starts it. Its tracking lines (src/core/tracking/protocol.ts) come on stdin; this
 * process is the store's writer for the run, like the runner is for a step.
 */
export const trackCommand = defineCommand({
  name: 'track',
  summary:
    "Record a run from a script or notebook outside a pipeline: tracking lines (JSON) on stdin; prints {runId} first. Python's mlops.start_run() runs it.",
  arguments: [],
  options: [
    option('name', 'NAME', 'what the run is of, listed as its pipeline (default: the script name, else "notebook")'),
    option('script', 'FILE', "the script that logs: its path, content hash and folder's git commit are recorded"),
    repeatable('tag', 'KEY=VALUE', 'a tag of the run, e.g. python=3.11.2 (repeatable)'),
  ],
  examples: ['python train.py   # with mlops.start_run() in it', `printf '{"type":"metrics","values":{"loss":0.3},"step":1}\\n' | mlops track --name probe`],
  async run({ options }) {
    const tags = Object.fromEntries((options.tag ?? []).map(tagOf));
    const script = options.script === undefined ? undefined : path.resolve(options.script);
    const digest = script === undefined ? undefined : await digestPath(script).catch(() => undefined);
    if (script !== undefined && digest === undefined) throw UserError.at(`--script ${script}: no such file`);
    const git = await gitState(script ? path.dirname(script) : process.cwd());
    const { store } = openStoreForWriting(options.store);
    try {
      const run = store.createRun({
        pipelineName: options.name ?? (script ? path.basename(script, path.extname(script)) : 'notebook'),
        pipelineFile: script ?? '',
        pipelineHash: digest?.hash ?? '',
        gitCommit: git.commit,
        gitDirty: git.dirty,
        toolVersion: TOOL_VERSION,
        pid: process.pid,
        hostname: os.hostname(),
      });
      store.setTags(run.id, { source: 'mlops track', ...tags });
      // One execution holds what the script logged, so the run reads like a one-step pipeline run.
      const execution = store.startExecution(run.id, SCRIPT_COMPONENT, 'script', script ? { script } : {});
      process.stdout.write(`${JSON.stringify({ runId: run.id })}\n`);
      let ended: { status: 'complete' | 'failed'; error?: string } | undefined;
      const logged = new LoggedArtifacts(process.cwd());
      const say = (line: string) => process.stderr.write(`mlops track: ${line}\n`);
      const ingest = new TrackingIngest({
        artifact: (record) => logged.add(record),
        logMetrics: (points) => store.logMetrics(run.id, execution.id, points),
        logParams: (params) => store.logParams(run.id, params),
        setTags: (values) => store.setTags(run.id, values),
        log: say,
        end: (status, error) => (ended = { status, error }),
      });
      for await (const line of createInterface({ input: process.stdin })) ingest.line(line);
      ingest.close();
      for (const artifact of logged.all) {
        const output = await loggedOutput(artifact);
        if (!output) say(`the ${artifact.type} '${artifact.name}' at ${artifact.path} is not there: not recorded`);
        else await recordFileArtifact(store, execution.id, 'output', output);
      }
      // No end line: the script stopped without ending its run (killed, or the kernel restarted).
      const error = ended ? (ended.error ?? null) : 'the script stopped without ending its run';
      store.finishExecution(execution.id, ended?.status === 'complete' ? 'complete' : 'failed', error);
      store.finishRun(run.id, ended?.status ?? 'interrupted', error);
      return 0;
    } finally {
      store.close();
    }
  },
});

function tagOf(text: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0) throw UserError.at(`--tag ${text}: expected KEY=VALUE`);
  return [text.slice(0, at), text.slice(at + 1)];
}
