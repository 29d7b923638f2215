#!/usr/bin/env node
// A stand-in "VS Code executable" for @vscode/test-electron's runTests({ vscodeExecutablePath }).
// It takes the Electron-style command line runTests() builds and runs the same test session in a
// throwaway code-server driven by headless Chromium:
//   --extensionDevelopmentPath=P (repeatable), --extensionTestsPath=T, [folder]
// code-server refuses those flags on its own command line; the extension host starts when a browser
// connects, and the two paths travel in the workbench URL (payload, as vscode-remote:// URIs). The
// workbench reports the suite's end through window.codeAutomationExit(code) and forwards the
// extension host's console through window.codeAutomationLog(type, args).
//
// Exit code: the suite's (0 pass, 1 fail), 124 on timeout, 2 on bad arguments, 3 on harness errors.
// Environment:
//   MLOPS_CS_RUN_DIR   folder for this instance (server dirs, logs, failure.png); a temp dir otherwise
//   E2E_TIMEOUT_MS     whole-session limit (default 600000)
//   E2E_ARTIFACTS_DIR  on failure, server logs and a screenshot are also copied here
//   anything else (E2E_RESULTS_FILE, ...) reaches the extension host through the server's environment
'use strict';
const fs = require('fs');
const path = require('path');
const util = require('util');
const cs = require('./code-server');

function parseArgs(argv) {
  const devPaths = [];
  const positional = [];
  let testsPath;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    let m;
    if ((m = a.match(/^--extensionDevelopmentPath=(.*)$/))) devPaths.push(m[1]);
    else if (a === '--extensionDevelopmentPath') devPaths.push(argv[++i]);
    else if ((m = a.match(/^--extensionTestsPath=(.*)$/))) testsPath = m[1];
    else if (a === '--extensionTestsPath') testsPath = argv[++i];
    else if (/^--(user-data-dir|extensions-dir)$/.test(a)) i++; // code-server gets throwaway dirs of its own
    else if (a.startsWith('-')) { /* --no-sandbox, --disable-updates, --user-data-dir=...: Electron-only */ }
    else positional.push(a); // the folder (or file) to open
  }
  return { devPaths, testsPath, folder: positional[0] };
}

// Extension-host chatter that says nothing about the tests
const NOISE = /^(Resolving connection token|Resolved connection token|Creating a socket|Updating additional builtin|\[Service Worker\]|ChatSessionStore|getaddrinfo ENOTFOUND|\[perf\]|%c)/;

async function main() {
  const { devPaths, testsPath, folder } = parseArgs(process.argv.slice(2));
  if (!testsPath || !devPaths.length) {
    console.error('code-shim: need --extensionDevelopmentPath and --extensionTestsPath');
    return 2;
  }
  const T0 = Date.now();
  const say = (...a) => console.log(`[code-shim ${((Date.now() - T0) / 1000).toFixed(1)}s]`, ...a);
  const runDir = process.env.MLOPS_CS_RUN_DIR || cs.makeTempDir('mlops-cs-');
  fs.mkdirSync(runDir, { recursive: true });
  cs.prepareServerDir(runDir);
  const timeoutMs = +(process.env.E2E_TIMEOUT_MS || 600000);
  const hostLog = fs.createWriteStream(path.join(runDir, 'ext-host.log'));

  let server;
  let browser;
  let page;
  let cleaning;
  const cleanup = () => {
    cleaning = cleaning || (async () => {
      if (browser) await browser.close().catch(() => {});
      if (server) await server.stop();
      await new Promise((r) => hostLog.end(r));
    })();
    return cleaning;
  };
  let interrupted = false;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      interrupted = true;
      say(`${sig}: stopping code-server`);
      cleanup().finally(() => { if (!process.env.MLOPS_CS_RUN_DIR && !process.env.KEEP_RUN_DIR) cs.rmrf(runDir); process.exit(130); });
    });
  }

  let exitCode = 3;
  try {
    server = await cs.startServer(runDir);
    say(`code-server (pgid ${server.pgid}) on ${server.url}, instance dir ${runDir}`);
    browser = await cs.launchChromium(runDir);
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let finish;
    const finished = new Promise((r) => { finish = r; });
    await page.exposeFunction('codeAutomationExit', (code) => finish(code));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = util.format(...(Array.isArray(args) ? args : [args]));
      hostLog.write(`[${type}] ${line}\n`);
      if (NOISE.test(line)) return;
      // the Mocha report comes through console.log: print it as is
      if (type === 'log' || type === 'info') console.log(line);
      else console.log(`[ext host ${type}] ${line}`);
    });
    page.on('pageerror', (e) => hostLog.write(`[pageerror] ${e.message}\n`));
    page.on('console', (m) => hostLog.write(`[browser ${m.type()}] ${m.text()}\n`));
    page.on('crash', () => finish('crash'));
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    await page.goto(cs.workbenchUrl(server.port, { folder, devPaths, testsPath }));
    const code = await finished;
    clearTimeout(timer);
    if (code === 'timeout') { say(`TIMEOUT: the suite did not finish in ${timeoutMs / 1000}s`); exitCode = 124; }
    else if (code === 'crash') { say('the workbench page crashed'); exitCode = 3; }
    else exitCode = Number(code) || 0;
    say(`suite finished, exit code ${exitCode}`);
  } catch (e) {
    say('harness error:', e.stack || e);
    exitCode = 3;
  }
  if (interrupted) await new Promise(() => {}); // the signal handler cleans up and exits
  if (exitCode !== 0 && page) await page.screenshot({ path: path.join(runDir, 'failure.png') }).catch(() => {});
  await cleanup();
  if (exitCode !== 0) for (const l of cs.extensionErrors(runDir)) say(`VS Code log: ${l}`);
  if (exitCode !== 0) {
    const dest = process.env.E2E_ARTIFACTS_DIR;
    if (dest) {
      const saved = cs.saveServerLogs(runDir, dest);
      for (const f of ['failure.png', 'ext-host.log']) {
        if (fs.existsSync(path.join(runDir, f))) { fs.copyFileSync(path.join(runDir, f), path.join(dest, f)); saved.push(path.join(dest, f)); }
      }
      say('kept for inspection:', saved.map((p) => path.relative(process.cwd(), p) || p).join(', '));
    }
  }
  if (!process.env.MLOPS_CS_RUN_DIR && !process.env.KEEP_RUN_DIR) cs.rmrf(runDir);
  return exitCode;
}

main().then((code) => process.exit(code), (e) => { console.error(e); process.exit(3); });
