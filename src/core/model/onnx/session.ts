import type { InferenceSession } from 'onnxruntime-node';
import { errorMessage } from '../../util/errorMessage';
import { UserError } from '../../util/problems';
import { onnxRuntime } from './runtime';

/** An inference session over the model's bytes; a file that is not a loadable ONNX model is the user's to fix. */
export async function openSession(bytes: Uint8Array, file: string): Promise<InferenceSession> {
  const ort = onnxRuntime();
  try {
    return await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all' });
  } catch (e) {
    throw UserError.at(
      `the ONNX model does not load: ${errorMessage(e)}`,
      { file },
      'export it again (torch.onnx.export, skl2onnx, tf2onnx) and check it with onnx.checker.check_model',
    );
  }
}
