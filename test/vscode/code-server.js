// Throwaway code-server + Debian Chromium (through playwright-core) for the VS Code test stages.
//
// Everything a run writes goes under one run folder: code-server's user-data/extensions dirs, its
// XDG config/data/cache dirs, TMPDIR, Chromium's profile and crash dumps. The server runs in its own
// process group and is stopped with `kill -- -PGID` (stopping only the top process would leave its
// file watcher behind). Tools come from scripts/e2e-setup.sh, installed outside the repository.
'use strict';
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');

const REPO = path.resolve(__dirname, '../..');
const TOOLS = process.env.MLOPS_E2E_HOME || path.join(os.homedir(), '.cache/mlops-pipelines-e2e');
const CODE_SERVER = path.join(TOOLS, 'cs/node_modules/.bin/code-server');
// code-server 4.139 (VS Code 1.139) runs on Node 24, the Node of current desktop VS Code's extension
// host; e2e-setup.sh installs it and names it here.
const CODE_SERVER_NODE_FILE = path.join(TOOLS, 'cs-node');
function codeServerNode() {
  try { return fs.readFileSync(CODE_SERVER_NODE_FILE, 'utf8').trim(); } catch { return ''; }
}
const PLAYWRIGHT = path.join(TOOLS, 'pw/node_modules/playwright-core');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

function checkTools() {
  const missing = [CODE_SERVER, codeServerNode() || CODE_SERVER_NODE_FILE, PLAYWRIGHT, CHROMIUM].filter((p) => !fs.existsSync(p));
  if (missing.length) {
    throw new Error(`VS Code test tools missing (${missing.join(', ')}): run \`bash scripts/e2e-setup.sh\` first`);
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A throwaway folder under the system temp dir. Kept short: code-server puts unix sockets in it. */
function makeTempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The folder layout of one code-server instance under `dir`, with user settings written. */
function prepareServerDir(dir, settings = {}) {
  for (const d of ['ud/User', 'ext', 'xdg-config', 'xdg-data', 'xdg-cache', 'tmp']) {
    fs.mkdirSync(path.join(dir, d), { recursive: true });
  }
  fs.writeFileSync(path.join(dir, 'ud/User/settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', // the Welcome page steals focus and closes the command palette
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'security.workspace.trust.enabled': false,
    'git.openRepositoryInParentFolders': 'never',
    'chat.disableAIFeatures': true,
    ...settings,
  }, null, 2));
  return dir;
}

function serverArgs(dir) {
  return ['--config', path.join(dir, 'config.yaml'), '--user-data-dir', path.join(dir, 'ud'),
    '--extensions-dir', path.join(dir, 'ext')];
}

/** Environment that keeps code-server (and the extension host it starts) inside `dir`. */
function serverEnv(dir, extra = {}) {
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(dir, 'xdg-config'),
    XDG_DATA_HOME: path.join(dir, 'xdg-data'),
    XDG_CACHE_HOME: path.join(dir, 'xdg-cache'),
    TMPDIR: path.join(dir, 'tmp'),
    ...extra,
  };
  // Set when this process itself runs inside VS Code; would confuse the nested extension host.
  for (const k of Object.keys(env)) if (/^(VSCODE_|ELECTRON_RUN_AS_NODE$)/.test(k) && !(k in extra)) delete env[k];
  return env;
}

function installVsix(dir, vsix) {
  return execFileSync(codeServerNode(), [CODE_SERVER, ...serverArgs(dir), '--install-extension', vsix],
    { env: serverEnv(dir), stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

function httpStatus(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (r) => { r.resume(); r.on('end', () => resolve(r.statusCode)); });
    req.on('error', reject);
    req.setTimeout(2000, () => req.destroy(new Error('timeout')));
  });
}

function groupAlive(pgid) {
  try { process.kill(-pgid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
}

/** Stop a process group: SIGTERM, wait up to `graceMs`, then SIGKILL. */
async function killGroup(pgid, graceMs = 5000) {
  if (!pgid || !groupAlive(pgid)) return;
  try { process.kill(-pgid, 'SIGTERM'); } catch { /* gone */ }
  for (const t0 = Date.now(); Date.now() - t0 < graceMs; await sleep(50)) if (!groupAlive(pgid)) return;
  try { process.kill(-pgid, 'SIGKILL'); } catch { /* gone */ }
}

/**
 * Start code-server on 127.0.0.1:`port` for the instance folder `dir`. Resolves once /healthz
 * answers. `extraEnv` reaches the extension host (it inherits the server's environment).
 * Returns { pid, pgid, port, log, stop() }; the group id is also written to dir/server.pgid.
 */
async function startServer(dir, { port, extraEnv = {}, timeoutMs = 60000 } = {}) {
  checkTools();
  port = port || await freePort();
  const log = path.join(dir, 'server.log');
  const out = fs.openSync(log, 'a');
  // enable-smoke-test-driver: a built VS Code (1.139) reads the extension-development payload of the
  // workbench URL only with it; the extension tests travel in that payload.
  const child = spawn(codeServerNode(), [CODE_SERVER, ...serverArgs(dir), '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--vscode-option', 'enable-smoke-test-driver'],
  { cwd: dir, env: serverEnv(dir, extraEnv), detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const pgid = child.pid;
  fs.writeFileSync(path.join(dir, 'server.pgid'), String(pgid));
  let exited = null;
  child.on('exit', (code, signal) => { exited = signal || code; });
  const stop = () => killGroup(pgid);
  const t0 = Date.now();
  for (;;) {
    try { if (await httpStatus(`http://127.0.0.1:${port}/healthz`) === 200) break; } catch { /* not yet */ }
    if (exited !== null || Date.now() - t0 > timeoutMs) {
      await stop();
      const tail = fs.readFileSync(log, 'utf8').split('\n').slice(-20).join('\n');
      throw new Error(`code-server did not start (${exited !== null ? `exited: ${exited}` : 'timeout'}), ${log}:\n${tail}`);
    }
    await sleep(100);
  }
  return { pid: child.pid, pgid, port, log, url: `http://127.0.0.1:${port}`, stop };
}

/** Headless Debian Chromium via playwright-core; profile, crash dumps and temp files under `dir`. */
async function launchChromium(dir, opts = {}) {
  checkTools();
  const { chromium } = require(PLAYWRIGHT);
  fs.mkdirSync(path.join(dir, 'chromium/tmp'), { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: !process.env.HEADED,
    // our callers stop browser and server themselves on these signals (Playwright's own handlers
    // would exit the process before the server is stopped and the run folder removed)
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--disable-breakpad'],
    env: {
      ...process.env,
      TMPDIR: path.join(dir, 'chromium/tmp'),
      // Chromium writes "Crash Reports" under $XDG_CONFIG_HOME/chromium whatever the profile dir
      XDG_CONFIG_HOME: path.join(dir, 'chromium/config'),
      XDG_CACHE_HOME: path.join(dir, 'chromium/cache'),
    },
    ...opts,
  });
}

/** vscode-remote URI of a server-side path, the form extensionDevelopmentPath needs in the payload. */
function remoteUri(port, p) {
  return `vscode-remote://127.0.0.1:${port}${path.resolve(p)}`;
}

/** Workbench URL opening `folder`, with optional dev/test extension paths in the payload. */
function workbenchUrl(port, { folder, devPaths = [], testsPath } = {}) {
  const payload = [...devPaths.map((p) => ['extensionDevelopmentPath', remoteUri(port, p)])];
  if (testsPath) payload.push(['extensionTestsPath', remoteUri(port, testsPath)]);
  payload.push(['skipWelcome', 'true']);
  let url = `http://127.0.0.1:${port}/?payload=${encodeURIComponent(JSON.stringify(payload))}`;
  url += folder ? `&folder=${encodeURIComponent(path.resolve(folder))}` : '&ew=true';
  return url;
}

/** Copy the logs of a server instance folder (server.log, VS Code's logs/) into `dest`. */
function saveServerLogs(dir, dest) {
  fs.mkdirSync(dest, { recursive: true });
  const saved = [];
  if (fs.existsSync(path.join(dir, 'server.log'))) {
    fs.copyFileSync(path.join(dir, 'server.log'), path.join(dest, 'code-server.log'));
    saved.push(path.join(dest, 'code-server.log'));
  }
  if (fs.existsSync(path.join(dir, 'ud/logs'))) {
    fs.cpSync(path.join(dir, 'ud/logs'), path.join(dest, 'vscode-logs'), { recursive: true });
    saved.push(path.join(dest, 'vscode-logs/'));
  }
  return saved;
}

/** Extension activation failures recorded in VS Code's logs of an instance folder (for failure reports). */
function extensionErrors(dir, max = 6) {
  const out = [];
  const walk = (d) => {
    let entries = [];
    try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.log')) {
        const lines = fs.readFileSync(p, 'utf8').split('\n');
        lines.forEach((l, i) => {
          if (/Activating extension .* failed/.test(l)) out.push(`${l.replace(/^\S+ \S+ /, '')} ${(lines[i + 1] || '').replace(/^\S+ \S+ /, '')}`.trim());
        });
      }
    }
  };
  walk(path.join(dir, 'ud/logs'));
  return [...new Set(out)].slice(0, max);
}

/** Remove a folder, retrying for a moment while exiting processes still write into it. */
function rmrf(p) {
  for (let i = 0; i < 20; i++) {
    try { fs.rmSync(p, { recursive: true, force: true, maxRetries: 3 }); } catch { /* retried */ }
    if (!fs.existsSync(p)) return;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  }
}

module.exports = {
  REPO, TOOLS, CODE_SERVER, codeServerNode, PLAYWRIGHT, CHROMIUM,
  checkTools, makeTempDir, prepareServerDir, serverArgs, serverEnv, installVsix, freePort,
  startServer, killGroup, groupAlive, launchChromium, remoteUri, workbenchUrl, saveServerLogs, extensionErrors, rmrf, sleep,
};
