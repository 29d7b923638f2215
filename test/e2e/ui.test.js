#!/usr/bin/env node
// UI end-to-end test: the MLOps extension in a real VS Code workbench (code-server) driven by
// headless Debian Chromium through playwright-core.
//
//   demo workspace (`mlops demo <dir> --no-run`) → open it → palette "MLOps: Run Pipeline" → the run
//   appears in the Runs view and completes → "MLOps: Open Run" → the run details webview shows
//   status "complete" and metrics → screenshot test-output/e2e/run-details.png → a tuning run with
//   trials written into the store → "MLOps: Compare Trials" draws the table and charts → "MLOps: Show
//   Training Curves" of the demo run: SVG export, smoothing and log scale kept when hidden and reloaded
//   → "MLOps: Show Evaluation" of the demo run: slice table, blessing, the threshold slider changing the
//   confusion matrix; the Models view lists the pushed version as production → windows and alerts of
//   the pushed model written into the store → "MLOps: Show Monitoring" draws the drift and metric
//   charts and the alert rows; an alert's retrain run opens its details
//
//   node test/e2e/ui.test.js
// The extension is installed from dist/mlops-pipelines.vsix (`npm run package`) when present, which
// also proves the package works; otherwise (or with E2E_FROM_SOURCE=1) it is loaded from the
// repository through extensionDevelopmentPath. E2E_VSIX=path picks another package.
// UPDATE_SCREENSHOT=1 also copies the screenshot to media/screenshots/run-details.png (README).
// E2E_RUN_TIMEOUT_MS bounds the pipeline run (default 300000), E2E_TIMEOUT_MS the session (600000).
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const cs = require('../vscode/code-server');
const wb = require('./workbench');
const { uiSession } = require('./harness');

const REPO = cs.REPO;
const OUT = path.join(REPO, 'test-output/e2e');
const CLI = path.join(REPO, 'dist/cli.js');
const DEFAULT_VSIX = path.join(REPO, 'dist/mlops-pipelines.vsix');
const RUN_TIMEOUT = +(process.env.E2E_RUN_TIMEOUT_MS || 300000);
const FINAL = /^(complete|completed|failed|error|cancelled|canceled|aborted)\b/i;

let vsix = process.env.E2E_VSIX ? path.resolve(process.env.E2E_VSIX) : undefined;
if (!vsix && !process.env.E2E_FROM_SOURCE && fs.existsSync(DEFAULT_VSIX)) vsix = DEFAULT_VSIX;
if (vsix && !fs.existsSync(vsix)) { console.error(`no such .vsix: ${vsix}`); process.exit(2); }
for (const f of [CLI, ...(vsix ? [] : [path.join(REPO, 'dist/extension.js')])]) {
  if (!fs.existsSync(f)) {
    console.error(`missing ${path.relative(REPO, f)}: run \`npm run build\` first`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

/** Describe the webviews present, for a failure message. */
async function webviewTitles(page) {
  return page.evaluate(() => [...document.querySelectorAll('iframe.webview')].map((o) => {
    const inner = o.contentDocument && o.contentDocument.querySelector('iframe#active-frame');
    return inner ? inner.title : '(loading)';
  })).catch(() => []);
}

uiSession({
  name: 'ui-e2e',
  artifactsDir: OUT,
  vsix,
  devPaths: vsix ? [] : [REPO],
  expectFile: 'taxi.pipeline.yaml',
  prepare: ({ runDir }) => {
    const demo = path.join(runDir, 'demo');
    execFileSync(process.execPath, [CLI, 'demo', demo, '--no-run'], { cwd: runDir, stdio: ['ignore', 'pipe', 'pipe'] });
    if (!fs.existsSync(path.join(demo, 'taxi.pipeline.yaml'))) throw new Error(`mlops demo wrote no taxi.pipeline.yaml in ${demo}`);
    // Start Serving on a free port: the default 8501 may be taken on the machine running the tests.
    fs.mkdirSync(path.join(demo, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(demo, '.vscode', 'settings.json'), JSON.stringify({ 'mlops.serve.port': 0 }, null, 2));
    return demo;
  },
  body: async ({ page, step, log, runDir }) => {
    const demoFolder = path.join(runDir, 'demo');
    const runs = wb.viewRows(page, 'Runs').filter({ has: page.locator('.label-name', { hasText: /^#\d+/ }) });

    await step('open the Runs view', async () => {
      await wb.runCommand(page, 'MLOps: Focus on Runs View');
      await wb.view(page, 'Runs').waitFor();
    });

    await step('palette: MLOps: Run Pipeline', async () => {
      await wb.runCommand(page, 'MLOps: Run Pipeline');
      // The command may ask which pipeline to run: answer with the demo's, whichever comes first.
      const pipelinePick = wb.quickPickRow(page, /taxi/i).first();
      const first = await Promise.race([
        runs.first().waitFor({ timeout: 60000 }).then(() => 'run'),
        pipelinePick.waitFor({ timeout: 60000 }).then(() => 'pick'),
      ]).catch(async () => {
        throw new Error(`no run in the Runs view 60 s after the command; notifications: ${JSON.stringify(await wb.toastTexts(page))}`);
      });
      if (first === 'pick') {
        const picked = await wb.pickFirst(page, /taxi/i);
        await runs.first().waitFor({ timeout: 60000 });
        return `picked "${picked}"`;
      }
      return undefined;
    });

    await step('run appears in the Runs view', async () => {
      const r = await wb.rowText(runs.first());
      log(`  row ${r.label}  ${r.description}`);
      return `${r.label} · ${r.description}`;
    });

    await step('run completes', async () => {
      const done = runs.filter({ has: page.locator('.label-description', { hasText: FINAL }) }).first();
      await done.waitFor({ timeout: RUN_TIMEOUT }).catch(async () => {
        const r = await wb.rowText(runs.first()).catch(() => ({}));
        throw new Error(`run ${r.label} not finished after ${RUN_TIMEOUT / 1000} s: "${r.description}"; notifications: ${JSON.stringify(await wb.toastTexts(page))}`);
      });
      const r = await wb.rowText(done);
      if (!/^complete/i.test(r.description)) throw new Error(`run ${r.label} ended as "${r.description}"`);
      return `${r.label} · ${r.description}`;
    });

    await step('Runs view: the run\'s Artifacts expand, one row per artifact, no error', async () => {
      const runRow = runs.filter({ has: page.locator('.label-description', { hasText: FINAL }) }).first();
      await runRow.locator('.monaco-tl-twistie').click();
      const section = wb.viewRows(page, 'Runs').filter({ has: page.locator('.label-name', { hasText: /^Artifacts$/ }) }).first();
      await section.waitFor();
      await section.locator('.monaco-tl-twistie').click();
      await wb.viewRows(page, 'Runs').filter({ has: page.locator('.label-name', { hasText: /^train\// }) }).first().waitFor();
      const examples = await wb.scrollToRow(page, 'Runs', /^ingest\.examples$/);
      const count = await examples.count();
      if (count !== 1) throw new Error(`ingest.examples is listed ${count} times`);
      const errors = (await wb.toastTexts(page)).filter((t) => /already registered|error/i.test(t));
      if (errors.length) throw new Error(`notifications: ${JSON.stringify(errors)}`);
      const { description } = await wb.rowText(examples.first());
      await page.screenshot({ path: path.join(OUT, 'runs-artifacts.png') });
      await wb.scrollToRow(page, 'Runs', /^#\d+/, { up: true });
      await runRow.locator('.monaco-tl-twistie').click();
      return `ingest.examples once: ${description}`;
    });

    const id = await step('palette: MLOps: Open Run → first run', async () => {
      await wb.runCommand(page, 'MLOps: Open Run');
      const picked = await wb.pickFirst(page, /^#\d+/);
      const m = picked.match(/^#(\d+)/);
      return m[1];
    });

    await step(`webview "Run #${id}": status and metrics`, async () => {
      let frame;
      try {
        frame = await wb.webviewFrame(page, `Run #${id}`);
      } catch (e) {
        throw new Error(`no webview titled "Run #${id}" (webviews: ${JSON.stringify(await webviewTitles(page))}): ${e.message}`);
      }
      const status = frame.locator('[data-testid="run-status"]');
      await status.waitFor();
      await frame.locator('[data-testid="run-status"]', { hasText: /^\s*complete\s*$/i }).waitFor({ timeout: 15000 })
        .catch(async () => { throw new Error(`run-status is "${(await status.innerText()).trim()}", expected "complete"`); });
      const metrics = frame.locator('[data-testid^="metric-"]');
      await metrics.first().waitFor();
      const n = await metrics.count();
      const sample = [];
      for (let i = 0; i < Math.min(n, 4); i++) {
        sample.push(`${await metrics.nth(i).getAttribute('data-testid')}=${(await metrics.nth(i).innerText()).replace(/\s+/g, ' ').trim()}`);
      }
      return `status complete, ${n} metric rows: ${sample.join('; ')}`;
    });

    await step('screenshot', async () => {
      const shot = path.join(OUT, 'run-details.png');
      await page.screenshot({ path: shot });
      if (process.env.UPDATE_SCREENSHOT) {
        const dest = path.join(REPO, 'media/screenshots/run-details.png');
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        fs.copyFileSync(shot, dest);
        return `${path.relative(REPO, shot)}, copied to ${path.relative(REPO, dest)}`;
      }
      return path.relative(REPO, shot);
    });

    await evaluationAndModels({ page, step, runId: id });
    await statisticsPanel({ page, step, runId: id });
    await compareAndTraining({ page, step, demoFolder, trainedRun: id });
    await evaluationRestored({ page, step, runId: id });
    await monitoringPanel({ page, step, demoFolder, runId: id });
    await lineagePanel({ page, step, runId: id });
    await servingFromThePalette({ page, step });
  },
}).then((code) => process.exit(code));

/**
 * The demo run evaluated its model and pushed it: the evaluation panel must show the slice table and
 * the blessing's checks, the threshold slider must change the confusion matrix's counts, and the
 * Models view must list the version as production.
 */
/**
 * The statistics panel of the demo run: how long it takes to show, a numeric feature expanded with
 * both datasets on the same bins in Facets' views, and the Drift view's deep link to a feature.
 */
async function statisticsPanel({ page, step, runId }) {
  const title = `Statistics · Run #${runId}`;
  await step(`palette: MLOps: Show Data Statistics → the demo run: the table shows`, async () => {
    const started = Date.now();
    await wb.runCommand(page, 'MLOps: Show Data Statistics');
    const first = await Promise.race([
      wb.webviewFrame(page, title, { timeout: 60000 }).then(() => 'panel'),
      wb.quickPickRow(page, new RegExp(`^#${runId}\\b`)).first().waitFor({ timeout: 60000 }).then(() => 'pick'),
    ]);
    if (first === 'pick') await wb.pickFirst(page, new RegExp(`^#${runId}\\b`));
    const frame = await wb.webviewFrame(page, title, { timeout: 60000 });
    await frame.locator('[data-testid="feature-fare"]').waitFor({ timeout: 60000 });
    return `the feature table ${Date.now() - started} ms after the command`;
  });

  await step('fare expanded: train and eval on the same bins, then the Quantiles and Log views', async () => {
    const frame = await wb.webviewFrame(page, title);
    await frame.locator('[data-testid="feature-fare"]').click();
    const chart = frame.locator('[data-testid="detail-fare"] [data-testid="detail-chart"]');
    await chart.locator('svg .mark-rect path').first().waitFor({ timeout: 30000 });
    const bars = await chart.locator('svg .mark-rect path').count();
    await page.screenshot({ path: path.join(OUT, 'statistics.png') });
    const control = (testid) => frame.locator(`[data-testid="detail-fare"] [data-testid="${testid}"]`);
    const drawn = (view, log) => frame.locator(`[data-testid="detail-fare"] [data-testid="detail-chart"][data-view="${view}"][data-log="${log}"] svg .mark-rect path`);
    await control('chart-quantiles').click();
    await drawn('quantiles', false).first().waitFor({ timeout: 30000 });
    const ticks = await drawn('quantiles', false).count();
    await page.screenshot({ path: path.join(OUT, 'statistics-quantiles.png') });
    await control('chart-standard').click();
    await drawn('standard', false).first().waitFor({ timeout: 30000 });
    await control('chart-log').click();
    await drawn('standard', true).first().waitFor({ timeout: 30000 });
    return `${bars} bars (two datasets on shared bins), ${ticks} quantile ticks; screenshots statistics.png, statistics-quantiles.png`;
  });

  await step('Drift view: a fired drift row opens the statistics of its two spans, scrolled to the feature', async () => {
    const drift = await wb.webviewFrame(page, 'Drift');
    const row = drift.locator('[data-testid="drift-row-drift-payment_type"]').first();
    await row.waitFor({ timeout: 30000 });
    const started = Date.now();
    await row.click();
    const frame = await wb.webviewFrame(page, title);
    const feature = frame.locator('[data-testid="feature-payment_type"][aria-expanded="true"]');
    await feature.waitFor({ timeout: 30000 });
    await frame.locator('[data-testid="detail-payment_type"] [data-testid="detail-chart"] svg').first().waitFor({ timeout: 30000 });
    const ms = Date.now() - started;
    const inView = await feature.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    });
    if (!inView) throw new Error('payment_type is expanded but off-screen');
    // The drift comparison is between two spans: the subtitle names both.
    const pair = (await frame.locator('[data-testid="stats-subtitle"]').innerText()).replace(/\s+/g, ' ').trim();
    if (!/ vs /.test(pair)) throw new Error(`the statistics compare no pair: "${pair}"`);
    await page.screenshot({ path: path.join(OUT, 'statistics-drift-link.png') });
    return `payment_type expanded, in view and drawn ${ms} ms after the click (${pair})`;
  });

  await step('a narrow window (1,000 px): each feature\'s name and distance stay in sight', async () => {
    await page.setViewportSize({ width: 1000, height: 900 });
    try {
      const frame = await wb.webviewFrame(page, title);
      const visible = (locator) =>
        locator.evaluate((el) => {
          const r = el.getBoundingClientRect();
          return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth;
        });
      await frame.locator('table.features thead th', { hasText: /^L∞$/ }).first().waitFor();
      const checks = {
        'the L∞ header': await visible(frame.locator('table.features thead th', { hasText: /^L∞$/ }).first()),
        'the payment_type name': await visible(frame.locator('[data-testid="feature-payment_type"] .name-col')),
        'its distance': await visible(frame.locator('[data-testid="feature-payment_type"] .distance')),
      };
      await page.screenshot({ path: path.join(OUT, 'statistics-narrow.png') });
      const hidden = Object.entries(checks).filter(([, ok]) => !ok).map(([what]) => what);
      if (hidden.length) throw new Error(`off-screen at 1,000 px: ${hidden.join(', ')}`);
      return 'name and distance in sight; screenshot statistics-narrow.png';
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });
}

async function evaluationAndModels({ page, step, runId }) {
  const title = `Evaluation · Run #${runId}`;
  const frame = () => wb.webviewFrame(page, title, { timeout: 60000 });
  const count = async (f, testid) => Number((await f.locator(`[data-testid="${testid}"]`).innerText()).replace(/[^\d]/g, ''));

  await step('palette: MLOps: Show Evaluation → the demo run', async () => {
    await wb.runCommand(page, 'MLOps: Show Evaluation');
    // With the run's details panel in front the command shows that run; otherwise it asks which.
    const pick = wb.quickPickRow(page, new RegExp(`^#${runId}\\b`)).first();
    const first = await Promise.race([
      frame().then(() => 'panel'),
      pick.waitFor({ timeout: 60000 }).then(() => 'pick'),
    ]);
    return first === 'pick' ? `picked "${await wb.pickFirst(page, new RegExp(`^#${runId}\\b`))}"` : 'the focused run details\' run';
  });

  await step(`webview "${title}": the slice table with its flagged slices`, async () => {
    const f = await frame();
    await f.locator('[data-testid="verdict"]').waitFor({ timeout: 60000 });
    await f.locator('[data-testid="tab-slices"]').click();
    const rows = f.locator('[data-testid="slice-table"] tbody tr');
    await rows.nth(1).waitFor({ timeout: 30000 });
    const flagged = await f.locator('[data-testid="slice-table"] tbody tr[data-flagged="true"]').count();
    await f.locator('[data-testid="slices-chart"] svg .mark-rect path').first().waitFor({ timeout: 60000 });
    return `${await rows.count()} rows (Overall first), ${flagged} flagged; verdict "${(await f.locator('[data-testid="verdict"]').innerText()).trim()}"`;
  });

  await step('the Blessing tab lists every threshold check with its outcome', async () => {
    const f = await frame();
    await f.locator('[data-testid="tab-blessing"]').click();
    const checks = f.locator('[data-testid="checks"] tbody tr');
    await checks.first().waitFor({ timeout: 30000 });
    const outcomes = [];
    for (let i = 0; i < (await checks.count()); i++) outcomes.push(await checks.nth(i).getAttribute('data-outcome'));
    if (!outcomes.every((o) => ['passed', 'failed', 'skipped'].includes(o))) throw new Error(`outcomes ${outcomes}`);
    // The demo pipeline pushed this run's model: the verdict must not offer to push it again.
    const verdict = (await f.locator('[data-testid="blessing-verdict"]').innerText()).trim();
    if (!/in production now as taxi v1/.test(verdict)) throw new Error(`the verdict reads "${verdict}"`);
    return `${outcomes.length} checks: ${outcomes.join(', ')}; "${verdict}"`;
  });

  await step('the threshold slider changes the confusion matrix', async () => {
    const f = await frame();
    await f.locator('[data-testid="tab-plots"]').click();
    await f.locator('[data-testid="cm-tp"]').waitFor({ timeout: 30000 });
    const read = async () => ({ tp: await count(f, 'cm-tp'), fp: await count(f, 'cm-fp'), tn: await count(f, 'cm-tn'), fn: await count(f, 'cm-fn') });
    const before = await read();
    await f.locator('[data-testid="threshold"]').fill('0.8');
    await f.locator('[data-testid="threshold-value"]', { hasText: '0.80' }).waitFor();
    const after = await read();
    const total = (c) => c.tp + c.fp + c.tn + c.fn;
    if (total(after) !== total(before)) throw new Error(`the matrix lost rows: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
    if (!(after.tp + after.fp < before.tp + before.fp)) throw new Error(`a higher threshold must predict fewer positives: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
    await f.locator('[data-testid="roc"] svg .mark-line path').first().waitFor({ timeout: 60000 });
    await page.screenshot({ path: path.join(OUT, 'evaluation.png') });
    return `at 0.5 ${JSON.stringify(before)} → at 0.8 ${JSON.stringify(after)}; screenshot test-output/e2e/evaluation.png`;
  });

  await step('the Models view lists the pushed version as production', async () => {
    await wb.runCommand(page, 'MLOps: Focus on Models View');
    const version = wb.viewRows(page, 'Models').filter({ has: page.locator('.label-description', { hasText: /^production\b/ }) }).first();
    await version.waitFor({ timeout: 30000 });
    const r = await wb.rowText(version);
    return `${r.label} · ${r.description}`;
  });
}

/** After the window reloaded (compareAndTraining's last step), the evaluation panel is back on its tab and threshold. */
async function evaluationRestored({ page, step, runId }) {
  const title = `Evaluation · Run #${runId}`;
  await step(`after the reload, "${title}" comes back on the Plots tab at threshold 0.80`, async () => {
    const f = await wb.showWebviewTab(page, title);
    await f.locator('[data-testid="threshold-value"]', { hasText: '0.80' }).waitFor({ timeout: 60000 });
    const selected = await f.locator('[data-testid="tab-plots"]').evaluate((el) => el.hasAttribute('active') || el.getAttribute('aria-selected') === 'true');
    if (!selected) throw new Error('the Plots tab is not the selected one');
    return `threshold ${(await f.locator('[data-testid="threshold-value"]').innerText()).trim()}, tp ${(await f.locator('[data-testid="cm-tp"]').innerText()).trim()}`;
  });
}

/**
 * Compare Trials and the training curves in the browser: a tuning run with four trials is written
 * into the demo's store (as the tuner would), then the palette opens the comparison and the charts
 * must be drawn in the webview. The demo run's own training curves are exported as SVG, and the
 * panel's smoothing and log scale must survive hiding the panel and reloading the window.
 */
async function compareAndTraining({ page, step, demoFolder, trainedRun }) {
  const storeFile = path.join(demoFolder, '.mlops', 'store.sqlite');
  const parent = await step('store: a tuning run with four trials', async () => {
    const fixtures = path.join(REPO, 'out/test/fixtures/training/generate.js');
    if (!fs.existsSync(fixtures)) throw new Error(`missing ${path.relative(REPO, fixtures)}: run \`npm run compile-tests\` first`);
    const { RunStore } = require(path.join(REPO, 'out/src/core/store'));
    const { addTuningRun } = require(fixtures);
    const store = RunStore.open(storeFile);
    try {
      return String(addTuningRun(store, 'ui-tuning', 6).parent);
    } finally {
      store.close();
    }
  });

  const trials = `Trials · Run #${parent}`;
  await step('palette: MLOps: Compare Trials → the tuning run', async () => {
    await wb.runCommand(page, 'MLOps: Compare Trials');
    return wb.pickFirst(page, new RegExp(`^#${parent}\\b`));
  });

  await step(`webview "${trials}": table, parallel coordinates, scatter and curves drawn`, async () => {
    const frame = await wb.webviewFrame(page, trials, { timeout: 60000 });
    const rows = frame.locator('[data-testid="compare-table"] tbody tr');
    await rows.nth(3).waitFor({ timeout: 60000 });
    await frame.locator('[data-testid="best-val_auc"]').waitFor();
    for (const chart of ['parallel', 'scatter', 'curve-val_auc']) {
      await frame.locator(`[data-testid="${chart}"] svg .mark-line path, [data-testid="${chart}"] svg .mark-symbol path`).first().waitFor({ timeout: 60000 })
        .catch((e) => { throw new Error(`chart ${chart} not drawn: ${e.message.split('\n')[0]}`); });
    }
    const lines = await frame.locator('[data-testid="curve-val_auc"] svg .mark-line path').count();
    if (lines < 4) throw new Error(`the val_auc curves chart has ${lines} lines, expected one per trial (4)`);
    await page.screenshot({ path: path.join(OUT, 'compare-trials.png') });
    return `${await rows.count()} rows, ${lines} curves; screenshot test-output/e2e/compare-trials.png`;
  });

  await step('the experiment table: val_auc pinned beside the run, sorted by it, best first', async () => {
    const frame = await wb.webviewFrame(page, trials);
    const header = () => frame.locator('[data-testid="compare-table"] thead th');
    await frame.locator('[data-testid="pin-val_auc"]').click();
    await frame.locator('[data-testid="compare-table"] thead th.stuck', { hasText: 'val_auc' }).waitFor({ timeout: 30000 });
    const second = (await header().nth(1).innerText()).trim();
    if (!second.startsWith('val_auc')) throw new Error(`the column beside the run is "${second}"`);
    await header().nth(1).locator('button.sort').click();
    await header().nth(1).locator('button.sort').click();
    const firstRun = (await frame.locator('[data-testid="compare-table"] tbody tr').first().locator('th').innerText()).trim();
    const best = await frame.locator('[data-testid="compare-table"] tbody tr').first().locator('[data-testid="best-val_auc"]').count();
    if (!best) throw new Error(`sorted by val_auc, descending, the first row (${firstRun}) is not the best`);
    const columns = await header().count();
    await page.screenshot({ path: path.join(OUT, 'compare-pinned.png') });
    return `val_auc pinned and sorted, ${firstRun} first; ${columns} columns shown (only what differs)`;
  });

  const training = `Training · Run #${trainedRun}`;
  const trainingFrame = () => wb.webviewFrame(page, training, { timeout: 60000 });
  const settings = async (frame) => ({
    smoothing: await frame.locator('[data-testid="smoothing"]').inputValue(),
    logScale: await frame.locator('[data-testid="log-scale"]').evaluate((el) => el.checked),
  });
  const expectSettings = async (when) => {
    const frame = await trainingFrame();
    await frame.locator('[data-testid="chart-loss"] svg .mark-line path').first().waitFor({ timeout: 60000 });
    const s = await settings(frame);
    if (s.smoothing !== '0.9' || s.logScale !== true) throw new Error(`${when}: smoothing ${s.smoothing}, log scale ${s.logScale}`);
    return `${when}: smoothing ${s.smoothing}, log scale on`;
  };

  await step('palette: MLOps: Show Training Curves → set smoothing and log scale', async () => {
    await wb.runCommand(page, 'MLOps: Show Training Curves');
    await wb.pickFirst(page, new RegExp(`^#${trainedRun}\\b`));
    const frame = await trainingFrame();
    await frame.locator('[data-testid="chart-loss"] svg .mark-line path').first().waitFor({ timeout: 60000 });
    await frame.locator('[data-testid="smoothing"]').fill('0.9');
    await frame.locator('[data-testid="log-scale"]').click();
    await frame.locator('[data-testid="smoothing-value"]', { hasText: '0.90' }).waitFor();
    const s = await settings(frame);
    if (!s.logScale) throw new Error('the log scale checkbox did not turn on');
    return `smoothing ${s.smoothing}, log scale on`;
  });

  await step('SVG export of the loss chart through the save dialog', async () => {
    const frame = await trainingFrame();
    await frame.locator('[data-testid="export-svg-loss"]').click();
    // code-server's save dialog is a quick input holding the suggested path.
    const input = page.locator('.quick-input-widget input[type="text"]');
    await input.waitFor({ state: 'visible' });
    const suggested = await input.inputValue();
    await input.press('Enter');
    const file = path.join(demoFolder, `run-${trainedRun}-loss.svg`);
    // The file appears before its content is written through: wait for the whole document.
    const written = () => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
    for (const deadline = Date.now() + 15000; !written().trimEnd().endsWith('</svg>');) {
      if (Date.now() > deadline) throw new Error(`no whole ${file} after saving (the dialog suggested ${suggested}): ${written().slice(0, 80)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const svg = written();
    if (!svg.startsWith('<svg') || !svg.includes('val_loss')) throw new Error(`${file} is not the chart: ${svg.slice(0, 80)}`);
    return `${path.basename(file)}, ${svg.length} bytes`;
  });

  await step('hidden behind another editor and shown again, the settings stay', async () => {
    await page.locator('.tabs-container .tab', { hasText: trials }).click();
    await wb.webviewFrame(page, trials, { timeout: 60000 });
    await page.locator('.tabs-container .tab', { hasText: training }).click();
    return expectSettings('shown again');
  });

  await step('Developer: Reload Window restores the panel with its settings', async () => {
    await wb.runCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await wb.showWebviewTab(page, training);
    const result = await expectSettings('after reload');
    await page.screenshot({ path: path.join(OUT, 'training.png') });
    return `${result}; screenshot test-output/e2e/training.png`;
  });
}

/**
 * The Monitoring panel of the demo's pushed model: checked windows and the alerts of a drifted one
 * are written into the store (as `mlops monitor` records them), then the palette opens the panel and
 * the webview must draw the drift, metric and latency charts and list the alerts; the run a retrain
 * action started opens its details.
 */
async function monitoringPanel({ page, step, demoFolder, runId }) {
  const storeFile = path.join(demoFolder, '.mlops', 'store.sqlite');
  const model = 'taxi';
  const alerts = await step(`store: 6 checked windows of ${model}@1, the last one drifted, with its alerts`, async () => {
    const fixtures = path.join(REPO, 'out/test/fixtures/monitoring/store.js');
    if (!fs.existsSync(fixtures)) throw new Error(`missing ${path.relative(REPO, fixtures)}: run \`npm run compile-tests\` first`);
    const { RunStore } = require(path.join(REPO, 'out/src/core/store'));
    const { recordWindow, windowReport, ALL_FIRED, WINDOW_MS } = require(fixtures);
    const store = RunStore.open(storeFile);
    try {
      const start = Date.now() - 8 * WINDOW_MS;
      for (let n = 0; n < 5; n++) recordWindow(store, windowReport(model, 1, n, { start }));
      const raised = recordWindow(store, windowReport(model, 1, 5, { start, fired: ALL_FIRED }), [
        { action: 'notify', outcome: 'done', detail: 'stored for the editor to show' },
        { action: 'retrain', outcome: 'done', detail: `run #${runId} started`, runId: Number(runId) },
      ]);
      return raised.length;
    } finally {
      store.close();
    }
  });

  const title = `Monitoring · ${model}`;
  await step('palette: MLOps: Show Monitoring → the pushed model', async () => {
    await wb.runCommand(page, 'MLOps: Show Monitoring');
    return wb.pickFirst(page, new RegExp(`^${model}$`));
  });

  await step(`webview "${title}": drift, metric and latency charts drawn, ${alerts} alert rows`, async () => {
    const frame = await wb.webviewFrame(page, title, { timeout: 60000 });
    await frame.locator('[data-testid="monitoring-title"]').waitFor({ timeout: 60000 });
    // Attached, not visible: a flat line (the offline value of one version) has no height.
    for (const chart of ['drift', 'prediction-drift', 'metric', 'window-latency']) {
      await frame.locator(`[data-testid="${chart}"] svg .mark-line path, [data-testid="${chart}"] svg .mark-symbol path`).first().waitFor({ state: 'attached', timeout: 60000 })
        .catch((e) => { throw new Error(`chart ${chart} not drawn: ${e.message.split('\n')[0]}`); });
    }
    const fired = await frame.locator('[data-testid="drift"] svg .mark-symbol path').count();
    const rows = frame.locator('[data-testid="alert-row"]');
    await rows.nth(alerts - 1).waitFor({ timeout: 30000 });
    const first = (await rows.first().innerText()).replace(/\s+/g, ' ').trim();
    if (!/fare|score|accuracy/.test(first)) throw new Error(`the newest alert row reads "${first}"`);
    const windows = await frame.locator('[data-testid="window-table"] tbody tr').count();
    if (windows !== 6) throw new Error(`the window table has ${windows} rows, expected 6`);
    await page.screenshot({ path: path.join(OUT, 'monitoring.png') });
    return `${windows} windows, ${await rows.count()} alerts (newest: "${first.slice(0, 80)}"), ${fired} drift points; screenshot test-output/e2e/monitoring.png`;
  });

  await step(`an alert's retrain run opens "Run #${runId}"`, async () => {
    const frame = await wb.webviewFrame(page, title, { timeout: 60000 });
    const runTab = page.locator('.tabs-container .tab.active').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^Run #${runId}$`) }) });
    if (await runTab.count()) throw new Error(`Run #${runId} is already the active tab of a group: the click could not be told apart`);
    await frame.locator(`[data-testid="alert-run-${runId}"]`).first().click();
    await runTab.waitFor({ timeout: 30000 });
    return `the run details of #${runId} are in front`;
  });

  await step(`Developer: Reload Window restores "${title}" with its charts`, async () => {
    await wb.runCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    const frame = await wb.showWebviewTab(page, title);
    await frame.locator('[data-testid="drift"] svg .mark-symbol path').first().waitFor({ state: 'attached', timeout: 60000 });
    return `${await frame.locator('[data-testid="alert-row"]').count()} alert rows after the reload`;
  });
}

/**
 * The lineage of the demo run (after monitoring wrote windows and alerts of its pushed model): the
 * graph laid out left to right, downstream reaching the registry version and what serving saw, a
 * node's own lineage, and a double-click opening the run of an execution.
 */
async function lineagePanel({ page, step, runId }) {
  const title = `Lineage: run #${runId}`;
  const frame = () => wb.webviewFrame(page, title, { timeout: 60000 });
  const node = (f, id) => f.locator(`[data-testid="lineage-node"][data-id="${id}"]`);

  await step('palette: MLOps: Show Lineage → the demo run', async () => {
    await wb.runCommand(page, 'MLOps: Show Lineage');
    return wb.pickFirst(page, new RegExp(`^#${runId}\\b`));
  });

  await step(`webview "${title}": the pipeline laid out left to right, data files first`, async () => {
    const f = await frame();
    await f.locator('[data-testid="lineage-node"]').nth(9).waitFor({ timeout: 60000 });
    const boxes = await f.locator('[data-testid="lineage-node"]').evaluateAll((gs) =>
      gs.map((g) => ({ id: g.dataset.id, title: g.querySelector('.title').textContent, x: g.getBoundingClientRect().x })),
    );
    const x = (pred) => boxes.filter(pred).map((b) => b.x);
    const dataFiles = x((b) => b.title === 'DataFile');
    const push = x((b) => b.title === 'push');
    if (!dataFiles.length || !push.length) throw new Error(`no data files or push: ${boxes.map((b) => b.title).join(', ')}`);
    if (!(Math.max(...dataFiles) < Math.min(...push))) throw new Error('the data files are not left of the push');
    const edges = await f.locator('.edge').count();
    return `${boxes.length} nodes, ${edges} edges; "${(await f.locator('[data-testid="lineage-summary"]').innerText()).trim()}"`;
  });

  await step('Downstream: the registered version and what serving saw hang off the push', async () => {
    const f = await frame();
    await f.locator('vscode-button[data-direction="down"]').click();
    await node(f, 'model:taxi@1').waitFor({ timeout: 60000 });
    await node(f, 'monitoring:taxi@1').waitFor({ timeout: 60000 });
    const served = (await node(f, 'monitoring:taxi@1').locator('.caption').textContent()).trim();
    if (!/\d+ windows · \d+ alerts?/.test(served)) throw new Error(`the serving node reads "${served}"`);
    return `taxi@1 → "${served}"`;
  });

  await step('a click follows the version\'s lineage; "Lineage from here" refocuses the panel on it', async () => {
    const f = await frame();
    // The version is at the far right of a long pipeline: Fit brings the whole graph into view.
    await f.locator('.toolbar vscode-button', { hasText: 'Fit' }).click();
    await node(f, 'model:taxi@1').click();
    const onPath = await f.locator('[data-testid="lineage-node"].on-path').count();
    if (onPath < 2) throw new Error(`only ${onPath} nodes on the selected node's path`);
    await f.locator('[data-testid="lineage-details"] vscode-button', { hasText: 'Lineage from here' }).click();
    const moved = await wb.webviewFrame(page, 'Lineage: taxi@1', { timeout: 60000 });
    await moved.locator('[data-testid="lineage-title"]', { hasText: 'Lineage of taxi@1' }).waitFor({ timeout: 60000 });
    return `${onPath} nodes on the path; the panel now shows taxi@1`;
  });

  await step('screenshot of taxi@1 downstream: evaluation, push, version, what serving saw', async () => {
    const shot = path.join(OUT, 'lineage.png');
    await page.screenshot({ path: shot });
    if (process.env.UPDATE_SCREENSHOT) fs.copyFileSync(shot, path.join(REPO, 'media/screenshots/lineage.png'));
    return path.relative(REPO, shot);
  });

  await step(`Both ways, a double-click on the train execution opens "Run #${runId}"`, async () => {
    const f = await wb.webviewFrame(page, 'Lineage: taxi@1', { timeout: 60000 });
    await f.locator('vscode-button[data-direction="both"]').click();
    const train = f.locator('[data-testid="lineage-node"].node-execution', { has: f.locator('text.title', { hasText: /^train$/ }) }).first();
    await train.waitFor({ timeout: 60000 });
    await f.locator('.toolbar vscode-button', { hasText: 'Fit' }).click();
    const runTab = page.locator('.tabs-container .tab.active').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^Run #${runId}$`) }) });
    await train.dblclick();
    await runTab.waitFor({ timeout: 30000 });
    return `the run details of #${runId} are in front`;
  });
}

/**
 * Serving as a user drives it, through the pickers: Start Serving → the pushed model (the status bar
 * item names it and its version), Send Test Request → a CSV of the workspace → two ticked rows (the
 * answer opens in a JSON document), Stop Serving (the item goes).
 */
async function servingFromThePalette({ page, step }) {
  const model = 'taxi';
  const item = page.locator('.statusbar-item', { hasText: new RegExp(`${model} v\\d+`) });
  await step(`palette: MLOps: Start Serving → ${model}`, async () => {
    await wb.runCommand(page, 'MLOps: Start Serving');
    await wb.pickFirst(page, new RegExp(`^${model}$`));
    await item.first().waitFor({ timeout: 60000 }).catch(async () => {
      throw new Error(`no status bar item for ${model} 60 s after Start Serving; notifications: ${JSON.stringify(await wb.toastTexts(page))}`);
    });
    return `status bar: "${(await item.first().innerText()).trim()}"`;
  });

  await step('palette: MLOps: Send Test Request → serving.csv → rows 1 and 2 ticked', async () => {
    await wb.runCommand(page, 'MLOps: Send Test Request');
    await wb.pickFirst(page, /^serving\.csv$/);
    for (const row of ['Row 1', 'Row 2']) {
      const pick = wb.quickPickRow(page, row).first();
      await pick.waitFor({ timeout: 30000 }).catch(async () => {
        const first = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first();
        throw new Error(`no pick row "${row}"; the first row: ${await first.innerHTML().catch(() => '(none)')}`);
      });
      // In a multi-select pick, a click on the row ticks it.
      await pick.locator('.label-name').click();
    }
    const count = page.locator('.quick-input-widget .quick-input-count', { hasText: /2 Selected/ });
    await count.waitFor({ timeout: 10000 }).catch(async () => {
      throw new Error(`two rows ticked, the pick says "${await page.locator('.quick-input-widget .quick-input-count').innerText().catch(() => '?')}"`);
    });
    await page.locator('.quick-input-widget input[type="text"]').press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 30000 });
    const answer = page.locator('.editor-group-container .monaco-editor .view-lines', { hasText: '"status": 200' });
    await answer.first().waitFor({ timeout: 30000 }).catch(async () => {
      throw new Error(`no JSON document with "status": 200; notifications: ${JSON.stringify(await wb.toastTexts(page))}`);
    });
    const text = (await answer.first().innerText()).replace(/\s+/g, ' ');
    const rows = text.match(/"rows": \[ ?([\d, ]+)\]/);
    if (!rows || rows[1].replace(/\s/g, '') !== '1,2') throw new Error(`the document sent rows ${rows ? rows[1] : '(none found)'}, expected 1, 2`);
    return `the answer document: ${text.slice(0, 120)}…`;
  });

  await step('palette: MLOps: Stop Serving → the status bar item goes', async () => {
    await wb.runCommand(page, 'MLOps: Stop Serving');
    await item.first().waitFor({ state: 'hidden', timeout: 30000 }).catch(async () => {
      throw new Error(`the status bar still shows "${(await item.first().innerText()).trim()}"`);
    });
  });
}
