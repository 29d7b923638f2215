// A UI session against a throwaway code-server: install the extension (packaged .vsix, or from source
// through the URL payload), open a folder in headless Chromium, run the test's steps, report.
// Every step is timed; the first failing step ends the session. On failure a screenshot, the
// code-server log, VS Code's logs and the browser console are kept in `artifactsDir`.
'use strict';
const fs = require('fs');
const path = require('path');
const cs = require('../vscode/code-server');
const wb = require('./workbench');

/**
 * @param {object} o
 * @param {string} o.name           shown in the log lines
 * @param {string} o.artifactsDir   cleared at start; failure artifacts go here
 * @param {string} [o.vsix]         install this package into the server (--install-extension)
 * @param {string[]} [o.devPaths]   or load these extension folders from source (extensionDevelopmentPath)
 * @param {(ctx) => string} o.prepare  synchronous setup in the run folder; returns the folder to open
 * @param {string} [o.expectFile]   a file the explorer must list once the folder is open
 * @param {(ctx) => Promise<void>} o.body  the test: uses ctx.step(name, fn), ctx.page, ctx.log
 */
async function uiSession(o) {
  const T0 = Date.now();
  const log = (...a) => console.log(`[${o.name} ${((Date.now() - T0) / 1000).toFixed(1)}s]`, ...a);
  const timeoutMs = +(process.env.E2E_TIMEOUT_MS || 600000);
  cs.rmrf(o.artifactsDir);
  fs.mkdirSync(o.artifactsDir, { recursive: true });
  const timings = [];
  let stopping; // set once browser and server are being stopped
  let passed = 0;
  let failed = 0;
  let failedStep;
  const step = async (name, fn) => {
    const t = Date.now();
    try {
      const r = await fn();
      const ms = Date.now() - t;
      timings.push([name, ms, 'ok']);
      passed++;
      log(`PASS ${name} (${ms} ms)${typeof r === 'string' && r ? `: ${r}` : ''}`);
      return r;
    } catch (e) {
      if (stopping) throw e; // abandoned session (timeout/signal): already reported
      const ms = Date.now() - t;
      timings.push([name, ms, 'FAILED']);
      failed++;
      failedStep = name;
      log(`FAIL ${name} (${ms} ms): ${(e && e.message) || e}`);
      throw e;
    }
  };

  let runDir;
  let server;
  let browser;
  let page;
  const consoleLines = [];
  let interrupted = false;
  const stopAll = () => {
    stopping = stopping || (async () => {
      if (browser) await browser.close().catch(() => {});
      if (server) await server.stop();
    })();
    return stopping;
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      interrupted = true;
      log(`${sig}: stopping`);
      stopAll().finally(() => { if (runDir && !process.env.KEEP_RUN_DIR) cs.rmrf(runDir); process.exit(130); });
    });
  }
  let timer;
  const session = (async () => {
    cs.checkTools();
    runDir = cs.makeTempDir('mlops-ui-');
    const csDir = cs.prepareServerDir(path.join(runDir, 'cs'));
    const ctx = { runDir, log, step };
    const folder = o.prepare ? await step('prepare workspace', async () => o.prepare(ctx)) : undefined;
    if (o.vsix) {
      await step(`install ${path.basename(o.vsix)}`, async () => cs.installVsix(csDir, o.vsix).split('\n').pop());
    }
    server = await step('start code-server', async () => cs.startServer(csDir));
    if (stopping) { await server.stop(); return; } // the session was abandoned meanwhile (timeout)
    ctx.server = server;
    browser = await step('launch chromium', async () => cs.launchChromium(runDir));
    if (stopping) { await browser.close(); return; }
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(30000);
    page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
    ctx.page = page;
    await step('open workbench', async () => {
      await wb.openWorkbench(page, cs.workbenchUrl(server.port, { folder, devPaths: o.devPaths || [] }), { expectFile: o.expectFile });
      return o.vsix ? `extension from ${path.relative(cs.REPO, o.vsix) || o.vsix}` : `extension from source ${(o.devPaths || []).join(', ')}`;
    });
    await o.body(ctx);
  })();
  session.catch(() => {}); // on timeout it is abandoned; its later rejection is expected
  try {
    await Promise.race([session, new Promise((_, rej) => { timer = setTimeout(() => rej(new Error(`session timeout after ${timeoutMs / 1000}s`)), timeoutMs); })]);
  } catch (e) {
    if (interrupted) await new Promise(() => {}); // the signal handler stops everything and exits
    if (!failedStep) { failed++; log('ERROR', (e && e.stack) || e); }
    const saved = [];
    if (page) {
      const shot = path.join(o.artifactsDir, 'failure.png');
      if (await page.screenshot({ path: shot }).then(() => true, () => false)) saved.push(shot);
    }
    fs.writeFileSync(path.join(o.artifactsDir, 'browser-console.log'), consoleLines.join('\n') + '\n');
    saved.push(path.join(o.artifactsDir, 'browser-console.log'));
    await stopAll();
    if (runDir) {
      saved.push(...cs.saveServerLogs(path.join(runDir, 'cs'), o.artifactsDir));
      for (const l of cs.extensionErrors(path.join(runDir, 'cs'))) log(`VS Code log: ${l}`);
    }
    log('kept for inspection:', saved.map((p) => path.relative(process.cwd(), p)).join(', '));
  } finally {
    clearTimeout(timer);
    await stopAll();
    if (runDir && !process.env.KEEP_RUN_DIR) cs.rmrf(runDir);
    else if (runDir) log(`run folder kept: ${runDir}`);
  }
  console.log(`\n${o.name} timings:`);
  for (const [name, ms, st] of timings) console.log(`  ${st === 'ok' ? '✔' : '✘'} ${name.padEnd(44)} ${String(ms).padStart(7)} ms`);
  console.log(`  total ${((Date.now() - T0) / 1000).toFixed(1)}s${failedStep ? `, stopped at "${failedStep}"` : ''}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

module.exports = { uiSession };
