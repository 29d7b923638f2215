/**
 * What `@tensorflow/tfjs` stands for in the esbuild bundles (scripts/build.mjs aliases it here): core
 * (with its gradients and chained ops, which training needs), layers and the plain JavaScript
 * backend; backend.ts adds WebAssembly. The whole package would also bundle WebGL, the graph-model
 * converter and tf.data, which never run here. The compiled tests load the whole package: these ESM
 * files cannot be required by Node, and there it costs nothing a user pays.
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import '@tensorflow/tfjs-backend-cpu';

export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';
