#!/usr/bin/env node
// Runs the extension's Mocha suite inside a real VS Code extension host with @vscode/test-electron's
// runTests(), unchanged: its vscodeExecutablePath is code-shim.js, which serves the session with a
// throwaway code-server and headless Chromium (no desktop VS Code can be downloaded here).
//
//   node test/vscode/run-extension-tests.js [--dev DIR] [--tests FILE] [--workspace DIR]
//     --dev        extensionDevelopmentPath   (default: the repository root)
//     --tests      extensionTestsPath         (default: out/test/extension/index.js)
//     --workspace  folder copied to a fresh temp folder and opened (default: test/fixtures/extension-workspace)
//
// The suite's run() writes {passes, failures, failed} to $E2E_RESULTS_FILE; this prints the
// extension host's output (the Mocha report), then a final plain line "N passed, N failed".
// Exit code: 0 when everything passed, non-zero on failures (124 on timeout). On failure the
// code-server log, VS Code's logs, the extension host console and a screenshot are kept under
// test-output/vscode/. Environment: E2E_TIMEOUT_MS (default 600000), KEEP_RUN_DIR=1.
'use strict';
const fs = require('fs');
const path = require('path');
const cs = require('./code-server');

const T0 = Date.now();
const say = (...a) => console.log(`[ext-tests ${((Date.now() - T0) / 1000).toFixed(1)}s]`, ...a);

function parseArgs(argv) {
  const o = {
    dev: cs.REPO,
    tests: path.join(cs.REPO, 'out/test/extension/index.js'),
    workspace: path.join(cs.REPO, 'test/fixtures/extension-workspace'),
  };
  for (let i = 0; i < argv.length; i++) {
    const m = argv[i].match(/^--(dev|tests|workspace)(?:=(.*))?$/);
    if (!m) throw new Error(`unknown argument ${argv[i]}`);
    o[m[1]] = path.resolve(m[2] !== undefined ? m[2] : argv[++i]);
  }
  return o;
}

function describeFailure(f) {
  if (typeof f === 'string') return f;
  if (f && typeof f === 'object') return [f.title || f.fullTitle || f.name, f.error || f.message || f.err].filter(Boolean).join(': ') || JSON.stringify(f);
  return String(f);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const artifacts = path.join(cs.REPO, 'test-output/vscode');
  cs.rmrf(artifacts);
  cs.checkTools();
  const mainFile = JSON.parse(fs.readFileSync(path.join(opts.dev, 'package.json'), 'utf8')).main;
  for (const [what, p] of [['extension bundle (npm run build)', mainFile && path.join(opts.dev, mainFile)],
    ['extension test suite (npm run compile-tests)', opts.tests]]) {
    if (p && !fs.existsSync(p)) throw new Error(`${what} missing: ${p}`);
  }

  const runDir = cs.makeTempDir('mlops-vsc-');
  const workspace = path.join(runDir, 'workspace');
  if (fs.existsSync(opts.workspace)) fs.cpSync(opts.workspace, workspace, { recursive: true });
  else { say(`WARNING: no fixture folder ${path.relative(cs.REPO, opts.workspace)}, opening an empty workspace`); fs.mkdirSync(workspace); }
  const csDir = path.join(runDir, 'cs');
  const resultsFile = path.join(runDir, 'results.json');
  const timeoutMs = +(process.env.E2E_TIMEOUT_MS || 600000);

  // runTests() spawns vscodeExecutablePath directly: give it an executable that runs the shim with this Node.
  const shim = path.join(runDir, 'code');
  fs.writeFileSync(shim, `#!/bin/sh\necho $$ > '${runDir}/shim.pid'\nexec '${process.execPath}' '${path.join(__dirname, 'code-shim.js')}' "$@"\n`, { mode: 0o755 });

  // Stop the shim (it stops its code-server) and, should it hang, its server group too.
  const readPid = (f) => { try { return +fs.readFileSync(f, 'utf8'); } catch { return 0; } };
  const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
  const hardKill = async () => {
    const shimPid = readPid(path.join(runDir, 'shim.pid'));
    if (shimPid && alive(shimPid)) {
      try { process.kill(shimPid, 'SIGTERM'); } catch { /* gone */ }
      for (const t0 = Date.now(); alive(shimPid) && Date.now() - t0 < 5000;) await cs.sleep(50);
      try { process.kill(shimPid, 'SIGKILL'); } catch { /* gone */ }
    }
    await cs.killGroup(readPid(path.join(csDir, 'server.pgid')), 1000);
  };
  const watchdog = setTimeout(async () => {
    say(`TIMEOUT: no result after ${(timeoutMs + 60000) / 1000}s, stopping the session`);
    await hardKill();
    if (!process.env.KEEP_RUN_DIR) cs.rmrf(runDir);
    console.log('0 passed, 1 failed');
    process.exit(124);
  }, timeoutMs + 60000);

  // Ctrl+C: @vscode/test-electron forwards SIGINT to the shim, which stops its code-server; having a
  // listener of our own keeps runTests() from exiting the process before the cleanup below.
  // SIGTERM (e.g. from `timeout`): pass it on to the shim; runTests() then returns the same way.
  let interrupted = '';
  process.on('SIGINT', () => { interrupted = 'SIGINT'; });
  process.on('SIGTERM', () => {
    interrupted = 'SIGTERM';
    const shimPid = readPid(path.join(runDir, 'shim.pid'));
    if (shimPid) { try { process.kill(shimPid, 'SIGTERM'); } catch { /* gone */ } }
  });

  say(`dev ${path.relative(process.cwd(), opts.dev) || '.'}, tests ${path.relative(process.cwd(), opts.tests)}, workspace ${workspace}`);
  const { runTests } = require('@vscode/test-electron');
  let code;
  try {
    code = await runTests({
      vscodeExecutablePath: shim,
      extensionDevelopmentPath: opts.dev,
      extensionTestsPath: opts.tests,
      launchArgs: [workspace],
      extensionTestsEnv: {
        E2E_RESULTS_FILE: resultsFile,
        MLOPS_CS_RUN_DIR: csDir,
        E2E_ARTIFACTS_DIR: artifacts,
        E2E_TIMEOUT_MS: String(timeoutMs),
      },
    });
  } catch (e) {
    code = typeof e.code === 'number' ? e.code : 1;
    if (typeof e.code !== 'number') say('runTests failed:', e.message);
  }
  clearTimeout(watchdog);
  await hardKill();
  if (interrupted) {
    cs.rmrf(runDir);
    say(`${interrupted}: session stopped`);
    console.log('0 passed, 1 failed');
    return interrupted === 'SIGINT' ? 130 : 143;
  }

  let results;
  try { results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')); } catch { /* the suite never got to write it */ }
  let passed = 0;
  let failed = 0;
  if (results) {
    passed = +results.passes || 0;
    failed = +results.failures || 0;
    for (const f of results.failed || []) console.log(`FAILED: ${describeFailure(f)}`);
  } else {
    say(`no results from the suite ($E2E_RESULTS_FILE not written): counted as 1 failure`);
    failed = 1;
  }
  if (code !== 0 && failed === 0) { say(`the session ended with exit code ${code}: counted as 1 failure`); failed = 1; }
  if (code === 0 && failed > 0) code = 1;
  if (code === 0 && passed === 0) say('WARNING: the suite ran no tests');
  if (code !== 0 && fs.existsSync(artifacts)) say(`logs and screenshot kept in ${path.relative(process.cwd(), artifacts)}/`);
  if (process.env.KEEP_RUN_DIR) say(`run folder kept: ${runDir}`);
  else cs.rmrf(runDir);
  say(`done in ${((Date.now() - T0) / 1000).toFixed(1)}s`);
  console.log(`${passed} passed, ${failed} failed`);
  return code;
}

main().then((code) => process.exit(code), (e) => {
  console.error(`[ext-tests] ERROR: ${e.message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
