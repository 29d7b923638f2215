import type * as OrtModule from 'onnxruntime-node';
import { errorMessage } from '../../util/errorMessage';
import { UserError } from '../../util/problems';

export type Ort = typeof OrtModule;

let loaded: Ort | undefined;

/**
 * onnxruntime-node, loaded on first use: a native (N-API) module, so it loads in Electron's Node as
 * in plain Node, and only the commands that run an ONNX model pay for it.
 */
export function onnxRuntime(): Ort {
  if (loaded) return loaded;
  try {
    loaded = require('onnxruntime-node') as Ort;
    return loaded;
  } catch (e) {
    throw UserError.at(
      `ONNX models need onnxruntime-node, which does not load on this machine (${process.platform}-${process.arch}): ${errorMessage(e)}`,
      undefined,
      'install the extension build for this platform, or `npm install onnxruntime-node` beside the mlops CLI',
    );
  }
}
