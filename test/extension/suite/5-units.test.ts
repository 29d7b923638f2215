import * as assert from 'node:assert/strict';
import { toRunDetailsView } from '../../../src/extension/runDetails/collect';
import { problemRange } from '../../../src/extension/diagnostics/convert';
import { pipelineKeyLine } from '../../../src/extension/pipelines/collect';
import { progressText, applyEvent, initialProgress } from '../../../src/extension/status/progress';
import { runFinishedMessage } from '../../../src/extension/status/runFinished';
import { cliRunInvocation, describeInvocation } from '../../../src/extension/tasks/cliCommand';
import { isMlopsTaskDefinition, sameTask, taskName } from '../../../src/extension/tasks/definition';
import { MinuteTicker } from '../../../src/extension/util/minuteTicker';
import * as vscode from 'vscode';
import { LineBuffer, toTerminalText } from '../../../src/extension/tasks/lineBuffer';
import { formatDuration, formatRelativeTime } from '../../../src/core/util/format';
import { isFromWebviewMessage, isRunDetailsState, isToWebviewMessage } from '../../../src/shared/runDetails';

// The pure parts, run here because they import `vscode` types (Range) or belong to the extension.
suite('units', () => {
  test('LineBuffer splits chunks into lines and keeps partial lines', () => {
    const b = new LineBuffer();
    assert.deepEqual(b.push('{"a":1}\n{"b"'), ['{"a":1}']);
    assert.deepEqual(b.push(':2}\r\n\n'), ['{"b":2}']);
    assert.deepEqual(b.push('tail'), []);
    assert.deepEqual(b.flush(), ['tail']);
    assert.equal(toTerminalText('a\nb\r\nc'), 'a\r\nb\r\nc');
  });

  test('the CLI is started with the host Node, the store and the events fd', () => {
    const inv = cliRunInvocation({
      nodePath: '/node',
      cliPath: '/ext/dist/cli.js',
      pipelineFile: '/ws/p.pipeline.yaml',
      component: 'train',
      storePath: '/ws/.mlops/store.sqlite',
      cwd: '/ws',
      baseEnv: { PATH: '/bin' },
    });
    assert.equal(inv.command, '/node');
    assert.deepEqual(inv.args, [
      '/ext/dist/cli.js',
      'run',
      '/ws/p.pipeline.yaml',
      '--store',
      '/ws/.mlops/store.sqlite',
      '--events-fd',
      '3',
      '--component',
      'train',
    ]);
    assert.equal(inv.env.ELECTRON_RUN_AS_NODE, '1');
    assert.equal(inv.env.PATH, '/bin');
  });

  test('a reproduction task starts mlops reproduce with its flags, and is a task of its own', () => {
    const reproduce = { runId: 12, force: true, verify: true };
    const inv = cliRunInvocation({
      nodePath: '/node',
      cliPath: '/cli.js',
      pipelineFile: '/ws/p.pipeline.yaml',
      reproduce,
      storePath: '/s',
      cwd: '/ws',
      baseEnv: {},
    });
    assert.deepEqual(inv.args, ['/cli.js', 'reproduce', '12', '--store', '/s', '--events-fd', '3', '--force', '--verify']);
    assert.equal(describeInvocation('p.pipeline.yaml', undefined, reproduce), 'mlops reproduce 12 --force --verify');
    const definition = { type: 'mlops', pipeline: 'p.pipeline.yaml', reproduce: 12, force: true, verify: false };
    assert.ok(isMlopsTaskDefinition(definition));
    assert.ok(!isMlopsTaskDefinition({ ...definition, reproduce: 'twelve' }));
    assert.ok(!sameTask(definition, { type: 'mlops', pipeline: 'p.pipeline.yaml' }), 'not the pipeline run of the same file');
    assert.equal(taskName('tiny', undefined, 12), 'tiny: reproduce run #12');
  });

  test('status bar text follows the events', () => {
    let p = initialProgress('taxi');
    assert.equal(progressText(p), '$(sync~spin) taxi: starting');
    p = applyEvent(p, { type: 'run-started', runId: 3, pipeline: 'taxi', file: 'x', components: ['ingest', 'train'] });
    p = applyEvent(p, { type: 'component-started', runId: 3, component: 'train', executionId: 9 });
    assert.equal(progressText(p), '$(sync~spin) taxi: train (2/2)');
    p = applyEvent(p, { type: 'metric', runId: 3, component: 'validate', key: 'skew.payment_type.linf', step: 0, value: 0.06 });
    p = applyEvent(p, { type: 'component-progress', runId: 3, component: 'train', message: 'epoch 4/8 · batch 9/88', fraction: 0.394 });
    assert.equal(progressText(p), '$(sync~spin) taxi: train (2/2) 39%', 'the component and how far it is, no metric');
    p = applyEvent(p, { type: 'component-progress', runId: 3, component: 'ingest', message: 'late', fraction: 0.9 });
    assert.equal(progressText(p), '$(sync~spin) taxi: train (2/2) 39%', "another component's progress is not the current one's");
  });

  test('relative times move on: the ticker redraws while a view is visible and at once when one is shown again', async () => {
    const shown = new vscode.EventEmitter<vscode.TreeViewVisibilityChangeEvent>();
    const view = { visible: true, onDidChangeVisibility: shown.event };
    let ticks = 0;
    let twice: () => void = () => {};
    const ticked = new Promise<void>((resolve) => (twice = resolve));
    const ticker = new MinuteTicker([view], () => ++ticks >= 2 && twice(), 5);
    await ticked;
    view.visible = false;
    shown.fire({ visible: false });
    const hidden = ticks;
    view.visible = true;
    shown.fire({ visible: true });
    assert.equal(ticks, hidden + 1, 'a view shown again is redrawn at once, not a minute later');
    ticker.dispose();
    shown.dispose();
  });

  test('a finished run is told: complete with its time, failed with its error, a canceled one not at all', () => {
    const done = { type: 'run-finished', runId: 4, exitCode: 0, durationMs: 5500 } as const;
    assert.deepEqual(runFinishedMessage('taxi', { ...done, status: 'complete' }), { kind: 'information', text: 'MLOps: taxi run #4 complete in 5.5 s.' });
    assert.deepEqual(runFinishedMessage('taxi', { ...done, status: 'failed', exitCode: 2, error: 'train: the loss is NaN' }), {
      kind: 'error',
      text: 'MLOps: taxi run #4 failed after 5.5 s: train: the loss is NaN',
    });
    assert.equal(runFinishedMessage('taxi', { ...done, status: 'canceled', exitCode: 130 }), undefined);
  });

  test('problem ranges: exact when given, the token otherwise, clamped to the text', () => {
    const lines = ['pipeline: x', 'data:', '  epochs: 3'];
    const exact = problemRange({ message: 'm', severity: 'error', location: { file: 'f', line: 3, column: 3, endLine: 3, endColumn: 9 } }, lines);
    assert.deepEqual([exact.start.line, exact.start.character, exact.end.line, exact.end.character], [2, 2, 2, 8]);
    const token = problemRange({ message: 'm', severity: 'error', location: { file: 'f', line: 1, column: 11 } }, lines);
    assert.deepEqual([token.start.character, token.end.character], [10, 11]);
    const beyond = problemRange({ message: 'm', severity: 'error', location: { file: 'f', line: 99, column: 1 } }, lines);
    assert.equal(beyond.start.line, 2);
    const none = problemRange({ message: 'm', severity: 'error' }, lines);
    assert.deepEqual([none.start.line, none.end.character], [0, 11]);
  });

  test('the pipeline lens sits on the pipeline key', () => {
    assert.equal(pipelineKeyLine('# comment\n\npipeline: a\n'), 2);
    assert.equal(pipelineKeyLine('{\n  "data": {},\n  "pipeline": "a"\n}'), 2);
    assert.equal(pipelineKeyLine('data: {}\n'), 0);
  });

  test('durations and relative times read well', () => {
    assert.equal(formatDuration(420), '420 ms');
    assert.equal(formatDuration(4200), '4.2 s');
    assert.equal(formatDuration(125_000), '2m 5s');
    assert.equal(formatRelativeTime(0, 10_000), 'just now');
    assert.equal(formatRelativeTime(0, 5 * 60_000), '5 min ago');
  });

  test('message contract: valid messages pass, malformed ones do not', () => {
    assert.ok(isFromWebviewMessage({ type: 'ready', payload: { runId: 3 } }));
    assert.ok(isFromWebviewMessage({ type: 'openArtifact', payload: { artifactId: 1 } }));
    assert.ok(!isFromWebviewMessage({ type: 'openArtifact', payload: { artifactId: '/etc/passwd' } }));
    assert.ok(!isFromWebviewMessage({ type: 'runCommand', payload: {} }));
    assert.ok(isToWebviewMessage({ type: 'notFound', payload: { runId: 1, message: 'gone' } }));
    assert.ok(!isToWebviewMessage({ type: 'details', payload: { run: {} } }));
    const view = toRunDetailsView(
      {
        run: {
          id: 7,
          pipelineId: 1,
          pipelineName: 'tiny',
          pipelineFile: 'tiny.pipeline.yaml',
          status: 'failed',
          component: null,
          startedAt: 1000,
          endedAt: 2000,
          pipelineHash: 'sha256:ab',
          gitCommit: null,
          gitDirty: null,
          toolVersion: '0.1.0',
          tfjsBackend: null,
          seed: 7,
          error: 'boom',
          pid: null,
          hostname: null,
          parentRunId: null,
          nodeVersion: null,
          sqliteDriver: null,
          sqliteVersion: null,
          trigger: null,
          reproducesRunId: null,
        },
        executions: [
          {
            id: 1,
            runId: 7,
            component: 'ingest',
            type: 'ingest',
            status: 'failed',
            startedAt: 1000,
            endedAt: 2000,
            cacheKey: null,
            error: 'boom',
            properties: {},
          },
        ],
        params: { seed: '7' },
        metrics: [{ key: 'rows', value: 20, step: 0, points: 1, executionId: 1 }],
        tags: {},
        artifacts: [],
      },
      (u) => u,
      5000,
    );
    assert.equal(view.metrics[0].component, 'ingest');
    assert.ok(isToWebviewMessage({ type: 'details', payload: view }));
    assert.ok(isRunDetailsState({ runId: 4 }));
    assert.ok(!isRunDetailsState({ runId: 0 }));
  });
});
