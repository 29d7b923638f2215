#!/usr/bin/env node
// Self-test of the UI harness against the tiny hello-world extension in ../shared/vscode-e2e/hello-ext
// (palette command → notification, tree view rows, webview text and click). When ui.test.js fails,
// this tells a broken harness/machine from a broken extension.
//   node test/e2e/harness-selftest.js [HELLO_EXT_DIR]      VSIX=1 packages it and installs the .vsix
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const cs = require('../vscode/code-server');
const wb = require('./workbench');
const { uiSession } = require('./harness');

const src = path.resolve(process.argv[2] || path.join(cs.REPO, '../shared/vscode-e2e/hello-ext'));
if (!fs.existsSync(path.join(src, 'package.json'))) { console.error(`no hello-ext at ${src}`); process.exit(2); }
const tmp = cs.makeTempDir('mlops-hello-');
process.on('exit', () => cs.rmrf(tmp));
const ext = path.join(tmp, 'hello-ext');
fs.cpSync(src, ext, { recursive: true });
fs.chmodSync(ext, 0o755);
let vsix;
if (process.env.VSIX) {
  vsix = path.join(tmp, 'hello.vsix');
  execFileSync(path.join(cs.REPO, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--skip-license', '--out', vsix],
    { cwd: ext, stdio: ['ignore', 'ignore', 'inherit'] });
}

uiSession({
  name: 'harness-selftest',
  artifactsDir: path.join(cs.REPO, 'test-output/e2e-selftest'),
  vsix,
  devPaths: vsix ? [] : [ext],
  prepare: ({ runDir }) => {
    const ws = path.join(runDir, 'workspace');
    fs.mkdirSync(ws);
    fs.writeFileSync(path.join(ws, 'readme.txt'), 'hello\n');
    return ws;
  },
  expectFile: 'readme.txt',
  body: async ({ page, step }) => {
    await step('palette command → notification', async () => {
      await wb.runCommand(page, 'Hello E2E: Say Hello');
      await wb.toast(page, 'Hello from the E2E extension!').first().waitFor();
    });
    await step('tree view rows', async () => {
      await wb.runCommand(page, 'Explorer: Focus on Hello Tree View');
      const rows = wb.viewRows(page, 'Hello Tree');
      await rows.nth(2).waitFor();
      const labels = [];
      for (let i = 0; i < await rows.count(); i++) labels.push((await wb.rowText(rows.nth(i))).label);
      if (labels.join('|') !== 'Alpha node|Beta node|Gamma node') throw new Error(`rows: ${JSON.stringify(labels)}`);
      return labels.join(', ');
    });
    await step('webview text and click', async () => {
      await wb.runCommand(page, 'Hello E2E: Open Webview');
      const web = await wb.webviewFrame(page, 'Hello Webview');
      const text = await web.locator('#greeting').innerText();
      if (text !== 'Hello from inside the webview') throw new Error(`greeting: ${text}`);
      await web.locator('#btn').click();
      await web.locator('#out', { hasText: 'clicked' }).waitFor();
      await wb.toast(page, 'Webview button clicked').waitFor();
      return text;
    });
  },
}).then((code) => process.exit(code));
