import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { before, describe, it } from 'node:test';
import { FEEDBACK_LOG, requestLogFile, type ServedRecord } from '../../src/core/serve/log';
import { toCsv } from '../../src/core/util/csvText';
import { bigTipper, sampleRows, served, shifted, TAXI_TRAIN, type CsvRow } from '../core/monitor/fixtures';
import { mlops, mlopsAsync, mlopsJson } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const T0 = Date.UTC(2026, 10, 25, 8, 0, 0);
const WINDOW = 2000;

const pipeline = (seed: number, monitor: string) => `pipeline: taxi
seed: ${seed}
data:
  train: ${JSON.stringify(TAXI_TRAIN)}
  split: { eval: 0.2 }
features:
  derive:
    big_tipper: "tips > 0.2 * fare"
  exclude: [trip_start_timestamp]
label: big_tipper
environments:
  serving: { exclude: [tips, big_tipper] }
statistics: {}
train:
  model: { type: linear }
  learning_rate: 0.01
  batch_size: 256
  epochs: 15
  backend: cpu
evaluate: {}
push: { model: taxi }
${monitor}`;

const WATCH = `monitor:
  window: { every: ${WINDOW} }
  metrics:
    accuracy: { lower: 0.5 }
  actions: [notify]
`;

const ACT = `monitor:
  window: { every: ${WINDOW} }
  metrics:
    accuracy: { lower: 0.75 }
  actions: [notify, retrain, rollback]
`;

interface Comparison {
  feature: string;
  method: string;
  value: number;
  fired: boolean;
}
interface WindowJson {
  window: { key: string; version: number; rows: number };
  labelled: number;
  drift: Comparison[];
  predictionDrift: Comparison[];
  metrics?: { online: Record<string, number | null>; offline?: Record<string, number | null> };
  notes: string[];
  alerts: {
    id: number;
    kind: string;
    subject: string;
    message: string;
    created: boolean;
    fired: { action: string; outcome: string; detail: string; runId: number | null }[];
  }[];
}
interface MonitorJson {
  rows: number;
  windows: WindowJson[];
  pending: { version: number; rows: number }[];
  malformed: { count: number; lines: { file: string; line: number; reason: string }[] };
}

/** Scores rows with the registry's model as the server would (the same package and transform) and logs them. */
async function serve(
  dir: string,
  logDir: string,
  rows: CsvRow[],
  o: { prefix: string; version: number; feedback?: (row: CsvRow) => boolean },
): Promise<ServedRecord[]> {
  const columns = Object.keys(rows[0]).filter((c) => c !== 'tips');
  await fs.writeFile(
    path.join(dir, 'rows.csv'),
    toCsv(
      columns,
      rows.map((r) => columns.map((c) => r[c])),
    ),
  );
  const predicted = mlops(['predict', '--model', `taxi@${o.version}`, 'rows.csv', '--out', 'predicted.csv'], dir);
  assert.equal(predicted.status, 0, predicted.stderr);
  const scores = (await fs.readFile(path.join(dir, 'predicted.csv'), 'utf8'))
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => Number(line.split(',')[2]));
  const records = served(rows, { prefix: o.prefix, version: o.version, at: T0, score: (_, i) => scores[i] });
  const folder = path.join(logDir, 'taxi');
  await fs.mkdir(folder, { recursive: true });
  await fs.appendFile(path.join(folder, requestLogFile(T0)), records.map((r) => JSON.stringify(r) + '\n').join(''));
  if (o.feedback) {
    const labelOf = o.feedback;
    await fs.appendFile(
      path.join(folder, FEEDBACK_LOG),
      records.map((r, i) => JSON.stringify({ id: r.id, label: labelOf(rows[i]), at: r.at + 1000 }) + '\n').join(''),
    );
  }
  return records;
}

const accuracyOf = (records: ServedRecord[], truth: boolean[]) => records.filter((r, i) => r.score >= 0.5 === truth[i]).length / records.length;
const fired = (results: Comparison[]) => results.filter((r) => r.fired).map((r) => r.feature);

function monitorJson(args: string[], dir: string): { status: number | null; out: MonitorJson; stderr: string } {
  const r = mlops(['monitor', 'p.pipeline.yaml', '--json', ...args], dir);
  assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
  return { status: r.status, out: JSON.parse(r.stdout) as MonitorJson, stderr: r.stderr };
}

async function finished(dir: string, runId: number): Promise<{ status: string; trigger: unknown }> {
  for (let i = 0; i < 240; i++) {
    const shown = mlopsJson<{ run: { status: string; trigger: unknown } }>(['runs', 'show', String(runId)], dir);
    if (shown.run.status !== 'running') return shown.run;
    await sleep(500);
  }
  throw new Error(`run #${runId} did not finish`);
}

/** Collects a child's stdout lines until `done` says enough. */
function linesUntil(child: ChildProcess, done: (lines: string[]) => boolean): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    let rest = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      const parts = (rest + chunk.toString('utf8')).split('\n');
      rest = parts.pop()!;
      lines.push(...parts.filter((l) => l.length));
      if (done(lines)) resolve(lines);
    });
    child.once('exit', (code) => reject(new Error(`mlops monitor --follow exited ${code} early`)));
  });
}

describe('mlops monitor', { concurrency: false }, () => {
  const dir = tempDir();
  const logs = (name: string) => path.join(dir, name);

  before(async () => {
    await fs.writeFile(path.join(dir, 'p.pipeline.yaml'), pipeline(5, WATCH));
    assert.equal(mlopsJson<{ exitCode: number }>(['run', 'p.pipeline.yaml'], dir).exitCode, 0);
    await fs.writeFile(path.join(dir, 'p.pipeline.yaml'), pipeline(6, WATCH));
    assert.equal(mlopsJson<{ exitCode: number }>(['run', 'p.pipeline.yaml'], dir).exitCode, 0);
  });

  it('stays quiet on a window drawn from the training data; alerts on drift and prediction drift in a shifted one (exit 1)', async () => {
    const sample = await sampleRows(TAXI_TRAIN, WINDOW, 21);
    const records = await serve(dir, path.join(dir, '.mlops', 'serving-logs'), sample, { prefix: 'a', version: 2, feedback: bigTipper });
    let r = monitorJson([], dir);
    assert.equal(r.status, 0);
    assert.equal(r.out.windows.length, 1);
    const [quiet] = r.out.windows;
    assert.equal(quiet.window.key, 'v2/rows@a-0');
    assert.ok(quiet.drift.length >= 15, 'every served feature is compared');
    assert.deepEqual(fired(quiet.drift), []);
    assert.deepEqual(fired(quiet.predictionDrift), []);
    assert.deepEqual(quiet.alerts, []);
    // Feedback joined by id: the online accuracy is that of these very rows, next to the offline one.
    assert.equal(quiet.labelled, WINDOW);
    assert.equal(quiet.metrics?.online.accuracy, accuracyOf(records, sample.map(bigTipper)));
    assert.equal(typeof quiet.metrics?.offline?.accuracy, 'number');

    await serve(dir, path.join(dir, '.mlops', 'serving-logs'), shifted(await sampleRows(TAXI_TRAIN, WINDOW, 22)), { prefix: 'b', version: 2 });
    r = monitorJson([], dir);
    assert.equal(r.status, 1);
    const [again, moved] = r.out.windows;
    assert.deepEqual(again.alerts, []);
    assert.deepEqual(fired(moved.drift), ['fare', 'payment_type']);
    assert.ok(fired(moved.predictionDrift).includes('score'));
    assert.equal(moved.labelled, 0);
    assert.deepEqual(
      moved.alerts.map((a) => [a.kind, a.subject, a.created, a.fired.map((f) => f.action)]),
      [
        ['drift', 'fare', true, ['notify']],
        ['drift', 'payment_type', true, ['notify']],
        ...fired(moved.predictionDrift).map((feature) => ['prediction_drift', feature, true, ['notify']]),
      ],
    );

    const human = mlops(['monitor', 'p.pipeline.yaml'], dir);
    assert.equal(human.status, 1);
    assert.match(human.stdout, /taxi@2 · .* · 2,000 rows · 0 labelled\n {2}drift {7}2 of \d+ features drifted: fare: wasserstein \d/);
    assert.match(human.stdout, /ALERT #\d+ drift · fare: wasserstein [\d.]+ > 0\.1 \(raised before\)\n {14}already: notify: stored for the editor to show/);
    assert.match(human.stdout, /read 4,000 rows · 2 windows checked · \d+ alerts/);
  });

  it('joins a labels file by id; it wins over feedback; a file without id and label columns is refused', async () => {
    const sample = shifted(await sampleRows(TAXI_TRAIN, WINDOW, 22));
    const truth = sample.map(bigTipper);
    // Labels for half the shifted window, and contrary labels for the first window, whose feedback they override.
    const rows = [...truth.slice(0, 1000).map((label, i) => [`b-${i}`, String(label)]), ['a-0', 'maybe'], ['a-1', 'true']];
    await fs.writeFile(path.join(dir, 'labels.csv'), toCsv(['id', 'label'], rows));
    const { out } = monitorJson(['--labels', 'labels.csv'], dir);
    const [first, moved] = out.windows;
    assert.equal(moved.labelled, 1000);
    assert.equal(typeof moved.metrics?.online.accuracy, 'number');
    assert.equal(first.labelled, WINDOW - 1, "'maybe' is not a label value, so a-0 is left out rather than taken from feedback");
    assert.match(first.notes.join('\n'), /1 labels are not a value the model was trained on/);

    await fs.writeFile(path.join(dir, 'bad-labels.csv'), 'request,truth\nb-0,true\n');
    const refused = mlops(['monitor', 'p.pipeline.yaml', '--labels', 'bad-labels.csv'], dir);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /bad-labels\.csv:1: error: the labels file has no 'id' or 'label' column \(its columns: request, truth\)/);
  });

  it('notify, retrain and rollback fire once per alert, and not again on a second --follow pass', { timeout: 300_000 }, async () => {
    await fs.writeFile(path.join(dir, 'p.pipeline.yaml'), pipeline(6, ACT));
    const logDir = logs('act-logs');
    // Shifted traffic whose ground truth contradicts the model: drift, prediction drift and an accuracy drop at once.
    await serve(dir, logDir, shifted(await sampleRows(TAXI_TRAIN, WINDOW, 23)), { prefix: 'c', version: 2, feedback: (row) => !bigTipper(row) });
    const { status, out } = monitorJson(['--log-dir', logDir], dir);
    assert.equal(status, 1);
    const alerts = out.windows[0].alerts;
    const performance = alerts.filter((a) => a.kind === 'performance');
    assert.deepEqual(
      performance.map((a) => a.subject),
      ['accuracy'],
    );
    const actions = (name: string) => alerts.map((a) => a.fired.find((f) => f.action === name));
    assert.ok(actions('notify').every((f) => f?.outcome === 'done'));
    const retrains = actions('retrain').filter((f) => f?.outcome === 'done');
    assert.equal(retrains.length, 1, 'one retrain for the window');
    assert.ok(
      actions('retrain')
        .slice(1)
        .every((f) => f?.outcome === 'skipped' && /this window already started run #\d+/.test(f.detail)),
    );
    assert.deepEqual(
      actions('rollback')
        .filter(Boolean)
        .map((f) => [f!.outcome, f!.detail]),
      [['done', 'production 2 → 1']],
    );

    const retrainRun = retrains[0]!.runId!;
    const run = await finished(dir, retrainRun);
    assert.equal(run.status, 'complete');
    assert.deepEqual(run.trigger, { kind: 'alert', alertId: alerts[0].id, model: 'taxi', message: alerts[0].message });

    const before = {
      runs: mlopsJson<{ total: number }>(['runs', 'list'], dir).total,
      history: mlopsJson<{ history: unknown[] }>(['models', 'show', 'taxi'], dir).history.length,
    };
    const follow = mlopsAsync(['monitor', 'p.pipeline.yaml', '--log-dir', logDir, '--follow', '--json'], dir);
    const exited = new Promise<number | null>((resolve) => follow.once('exit', resolve));
    try {
      const [line] = await linesUntil(follow, (lines) => lines.length >= 1);
      const again = JSON.parse(line) as WindowJson;
      assert.equal(again.window.key, out.windows[0].window.key);
      assert.deepEqual(
        again.alerts.map((a) => [a.id, a.created, a.fired]),
        alerts.map((a) => [a.id, false, []]),
      );

      // Only new rows are read while following: the next window, and nothing already checked.
      const next = linesUntil(follow, (lines) => lines.length >= 1);
      await serve(dir, logDir, await sampleRows(TAXI_TRAIN, WINDOW, 24), { prefix: 'd', version: 2, feedback: bigTipper });
      const newer = JSON.parse((await next)[0]) as WindowJson;
      assert.equal(newer.window.key, 'v2/rows@d-0');
    } finally {
      follow.kill('SIGINT');
    }
    assert.equal(await exited, 1);
    assert.equal(mlopsJson<{ total: number }>(['runs', 'list'], dir).total, before.runs);
    assert.equal(mlopsJson<{ history: unknown[] }>(['models', 'show', 'taxi'], dir).history.length, before.history);
  });

  it('reports a missing log folder; counts and names malformed lines without stopping', async () => {
    let r = mlops(['monitor', 'p.pipeline.yaml', '--log-dir', 'nowhere'], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /nowhere: error: no serving log folder here/);
    r = mlops(['monitor', '--model', 'taxy'], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /taxy/);

    const logDir = logs('bad-logs');
    await fs.mkdir(path.join(logDir, 'taxi'), { recursive: true });
    const file = path.join(logDir, 'taxi', requestLogFile(T0));
    await fs.writeFile(file, '{"id": "x"\nnot json at all\n');
    await serve(dir, logDir, await sampleRows(TAXI_TRAIN, 150, 25), { prefix: 'e', version: 2 });
    const { status, out } = monitorJson(['--log-dir', logDir], dir);
    assert.equal(status, 0);
    assert.equal(out.rows, 150);
    assert.deepEqual(out.pending, [{ version: 2, rows: 150 }]);
    assert.deepEqual(
      out.malformed.lines.map((m) => [m.file, m.line]),
      [
        [file, 1],
        [file, 2],
      ],
    );
    const human = mlops(['monitor', 'p.pipeline.yaml', '--log-dir', logDir], dir);
    assert.equal(human.status, 0);
    assert.match(human.stdout, /2 malformed log lines skipped: .*requests-2026-11-25\.jsonl:1: not JSON/);
    assert.match(human.stdout, /waiting for more: 150 rows of version 2/);
  });
});
