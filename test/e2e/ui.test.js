#!/usr/bin/env node
// UI end-to-end test: the MLOps extension in a real VS Code workbench (code-server) driven by
// headless Debian Chromium through playwright-core.
//
//   demo workspace (`mlops demo <dir> --no-run`) → open it → palette "MLOps: Run Pipeline" → the run
//   appears in the Runs view and completes → "MLOps: Open Run" → the run details webview shows
//   status "complete" and metrics → screenshot test-output/e2e/run-details.png
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
    return demo;
  },
  body: async ({ page, step, log }) => {
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
  },
}).then((code) => process.exit(code));
