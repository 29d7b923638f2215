// Bundles the extension host code, the `mlops` CLI and each webview with esbuild.
// Native and optional modules stay external: better-sqlite3 is shipped as a package, tfjs-node is
// loaded only when it is installed, onnxruntime-node loads its N-API binary from its own folder. tfjs and its wasm backend are bundled; the backend's `.wasm`
// binaries are copied to dist/wasm/, where src/core/model/backend.ts finds them next to the bundle.
import * as esbuild from 'esbuild';
import { readdirSync, existsSync, rmSync, mkdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const nodeExternal = ['vscode', 'better-sqlite3', '@tensorflow/tfjs-node', 'onnxruntime-node'];
// Node has no wasm threads here (no cross-origin isolation), so only the single-threaded binaries load.
const WASM_DIR = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';
const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm'];

// ESM dependencies bundled into CommonJS still ask for import.meta.url (tinyglobby's fdir does).
const nodeCommon = {
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: nodeExternal,
  define: { 'import.meta.url': '__importMetaUrl' },
  // jsonc-parser's 'main' is a UMD build esbuild cannot follow; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
  // Only the parts of tfjs that run here (src/core/model/tfjsBundled.ts): about 0.5 MB less in the CLI.
  alias: { '@tensorflow/tfjs': './src/core/model/tfjsBundled.ts' },
};
const importMetaUrl = "const __importMetaUrl = require('url').pathToFileURL(__filename).href;";
// The extension measures its activation from the first line of its bundle (the API's activationMs).
const loadStart = 'const __mlopsLoadStart = performance.now();';

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

const webviews = existsSync('webview')
  ? readdirSync('webview', { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join('webview', d.name, 'main.ts')))
      .map((d) => d.name)
  : [];

const builds = [
  { ...common, ...nodeCommon, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', banner: { js: `${loadStart}\n${importMetaUrl}` } },
  { ...common, ...nodeCommon, entryPoints: ['src/cli/main.ts'], outfile: 'dist/mlops.js', banner: { js: importMetaUrl } },
  // The `mlops` executable: a few lines that turn on Node's compile cache, then load dist/mlops.js.
  { ...common, ...nodeCommon, entryPoints: ['src/cli/launcher.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // vega and vega-lite for `mlops report`'s charts (about 2 MB): loaded by that command only, so no other start parses them.
  { ...common, ...nodeCommon, entryPoints: ['src/cli/runReport/vegaRender.ts'], outfile: 'dist/vegaRender.js' },
  // One build for every page, split into shared chunks: vega (about 1 MB) is loaded once, not once
  // per chart page. The pages are ES modules; their imports inherit the entry script's nonce.
  {
    ...common,
    entryPoints: Object.fromEntries(webviews.map((name) => [name, `webview/${name}/main.ts`])),
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'esm',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    target: 'es2022',
    loader: { '.css': 'css' },
  },
];

if (!watch) rmSync('dist', { recursive: true, force: true });
mkdirSync('dist/webview', { recursive: true });
mkdirSync('dist/wasm', { recursive: true });
for (const f of WASM_FILES) copyFileSync(join(WASM_DIR, f), join('dist/wasm', f));
// The codicon font is referenced by the elements' icons; the webview loads it from dist/webview.
for (const f of ['codicon.css', 'codicon.ttf']) {
  const src = join('node_modules/@vscode/codicons/dist', f);
  if (existsSync(src)) copyFileSync(src, join('dist/webview', f));
}

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log(`watching ${builds.length} bundles`);
} else {
  const t0 = Date.now();
  await Promise.all(builds.map((b) => esbuild.build(b)));
  console.log(`built ${builds.length} bundles in ${Date.now() - t0} ms`);
}
