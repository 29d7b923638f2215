/**
 * extensionTestsPath module: VS Code's extension host require()s the compiled file
 * (out/test/extension/index.js) and calls run(). It runs inside the extension host, so the suites can
 * import `vscode`. With E2E_RESULTS_FILE set, a JSON summary is written there for the harness
 * (test/vscode/run-extension-tests.js), which cannot read Mocha's exit status otherwise.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000 });
  const dir = path.join(__dirname, 'suite');
  // Sorted, so the order is stable: activation first, then what builds on it. MLOPS_EXT_SUITES
  // ("1-activation,12-serving") runs only the named suites, for a quick look at one while working.
  const only = process.env.MLOPS_EXT_SUITES?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const f of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.js'))
    .sort()) {
    if (!only || only.includes(f.replace(/\.test\.js$/, ''))) mocha.addFile(path.join(dir, f));
  }
  const failed: string[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const s = runner.stats;
      const summary = {
        passes: s?.passes ?? 0,
        failures: s?.failures ?? failures,
        pending: s?.pending ?? 0,
        tests: s?.tests ?? 0,
        duration: s?.duration,
        failed,
      };
      const resultsFile = process.env.E2E_RESULTS_FILE;
      if (resultsFile) fs.writeFileSync(resultsFile, JSON.stringify(summary, null, 2));
      console.log(`${summary.passes} passed, ${summary.failures} failed`);
      if (failures > 0) reject(new Error(`${failures} tests failed.`));
      else resolve();
    });
    runner.on('fail', (test, err: Error) => failed.push(`${test.fullTitle()}: ${err?.message}`));
  });
}
