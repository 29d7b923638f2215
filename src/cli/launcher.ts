/**
 * The `mlops` executable (dist/cli.js). Where Node can (22.1 and later: VS Code's extension host and
 * current Node), V8's compiled code of the CLI bundle is kept on disk, so a start does not compile its
 * megabytes again; the bundle (dist/mlops.js) is loaded only after, so its compilation is the one cached.
 */
import * as nodeModule from 'node:module';

(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
// A run-time path beside this file: the bundle is a file of its own, not part of this one.
const bundle = './mlops.js';
(require(bundle) as { runCommandLine(): void }).runCommandLine();
