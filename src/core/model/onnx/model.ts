import * as path from 'node:path';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import type { Value } from '../../data/cells';
import { rawRowAccessor, transformRows } from '../../transform/row';
import type { FittedTransform, RawRow } from '../../transform/types';
import { UserError } from '../../util/problems';
import { ChunkedModel, type ChunkScores } from '../chunkedModel';
import { ModelFault } from '../predictions';
import { errorMessage } from '../../util/errorMessage';
import { readPackageFile } from '../package';
import type { LoadedModel, ModelManifest, OnnxBinding, OnnxInputType, Prediction } from '../types';
import { onnxRuntime } from './runtime';
import { openSession } from './session';

export async function loadOnnxModel(dir: string, manifest: ModelManifest, transform: FittedTransform): Promise<LoadedModel> {
  const file = path.join(dir, manifest.files.model);
  if (!manifest.onnx)
    throw UserError.at('the ONNX package names no graph inputs (its manifest has no "onnx")', { file: path.join(dir, 'mlops-model.json'), field: 'onnx' });
  const session = await openSession(await readPackageFile(dir, manifest.files.model), file);
  return new OnnxModel(dir, manifest, transform, manifest.onnx, session);
}

/** Tensor data for one input element type, filled row by row. */
type Column = Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array | string[];

/**
 * An ONNX model of a package: raw rows in, the graph's inputs filled from the columns its binding
 * names (parsed as ingest parses a cell, derived columns computed), its output read as the task says.
 * A missing number reaches a float input as NaN and a missing text as ""; integer and bool inputs
 * have no missing value, so such a row is refused with the column named.
 */
class OnnxModel extends ChunkedModel {
  /** Per graph input, the index in `transform.inputs` of each column it takes. */
  private readonly columnIndex: number[][];

  constructor(
    dir: string,
    manifest: ModelManifest,
    transform: FittedTransform,
    private readonly binding: OnnxBinding,
    private readonly session: InferenceSession,
  ) {
    super(dir, manifest, transform);
    const index = new Map(transform.inputs.map((input, i) => [input.name, i]));
    this.columnIndex = binding.inputs.map((input) => input.columns.map((c) => index.get(c)!));
  }

  /** Serving asks for no labels: the rows are then read once, for the graph's inputs. */
  protected async score(rows: readonly RawRow[], withLabels: boolean): Promise<ChunkScores> {
    const output = (await this.run(this.feeds(rows)))[this.binding.output];
    try {
      const width = output.dims.length >= 2 ? output.dims[output.dims.length - 1] : 1;
      const classes = this.manifest.signature.classes?.length ?? 0;
      if (this.manifest.task === 'multiclass' && width !== classes) {
        throw ModelFault.in(`the ONNX output '${this.binding.output}' gave ${width} values per row for ${classes} classes`, this.modelFile);
      }
      const values = output.data as Float32Array | Float64Array;
      const predictions = Array.from({ length: rows.length }, (_, r) => this.checked(this.decode(values, r, width)));
      // No fitted features in an ONNX package's transform: it computes only the labels.
      return { predictions, labels: withLabels ? transformRows(this.transform, rows).label : undefined };
    } finally {
      output.dispose();
    }
  }

  private get modelFile() {
    return { file: path.join(this.dir, this.manifest.files.model) };
  }

  /** onnxruntime's own failures (a shape the graph rejects, an operator that fails) are the model's. */
  private async run(feeds: Record<string, Tensor>): Promise<InferenceSession.OnnxValueMapType> {
    try {
      return await this.session.run(feeds, [this.binding.output]);
    } catch (e) {
      throw ModelFault.in(
        `the ONNX model failed to run: ${errorMessage(e)}`,
        this.modelFile,
        'check the graph with onnx.checker.check_model, and the signature against its inputs',
      );
    }
  }

  private feeds(rows: readonly RawRow[]): Record<string, Tensor> {
    const ort = onnxRuntime();
    const columns = this.binding.inputs.map((input) => allocate(input.type, rows.length * input.columns.length));
    rows.forEach((row, r) => {
      const read = rawRowAccessor(this.transform, row);
      this.binding.inputs.forEach((input, i) => {
        const width = input.columns.length;
        this.columnIndex[i].forEach((column, c) => put(columns[i], r * width + c, read(column), input, input.columns[c]));
      });
    });
    return Object.fromEntries(
      this.binding.inputs.map((input, i) => {
        const dims = input.rank === 1 ? [rows.length] : [rows.length, input.columns.length];
        return [input.name, new ort.Tensor(input.type, columns[i], dims)];
      }),
    );
  }

  /**
   * NaN means the graph met a missing value it does not fill: that row is refused. A probability
   * outside [0, 1] means the graph ends before its sigmoid or softmax: the model is refused, since
   * scoring only the rows that happen to fall in [0, 1] would bless it on a biased subset.
   */
  private checked(p: Prediction): Prediction {
    const values = this.manifest.task === 'multiclass' ? p.probabilities! : [p.score];
    if (values.some(Number.isNaN)) {
      throw UserError.at(
        `the ONNX output '${this.binding.output}' is NaN for this row`,
        this.modelFile,
        'a missing number reaches the graph as NaN: fill missing values inside the graph (e.g. torch.where(torch.isnan(x), mean, x))',
      );
    }
    const bad = this.manifest.task === 'regression' ? undefined : values.find((v) => !(v >= 0 && v <= 1));
    if (bad !== undefined) {
      throw ModelFault.in(
        `the ONNX output '${this.binding.output}' gave ${bad}, which is not a probability`,
        this.modelFile,
        'end the graph with a sigmoid (binary) or softmax (multiclass) before exporting it',
      );
    }
    return p;
  }

  dispose(): void {
    void this.session.release().catch(() => undefined);
  }
}

function allocate(type: OnnxInputType, length: number): Column {
  switch (type) {
    case 'float32':
      return new Float32Array(length);
    case 'float64':
      return new Float64Array(length);
    case 'int64':
      return new BigInt64Array(length);
    case 'int32':
      return new Int32Array(length);
    case 'bool':
      return new Uint8Array(length);
    case 'string':
      return new Array<string>(length);
  }
}

function put(target: Column, at: number, value: Value, input: OnnxBinding['inputs'][number], column: string): void {
  if (Array.isArray(target)) {
    target[at] = value === null ? '' : String(value);
    return;
  }
  const number = typeof value === 'boolean' ? Number(value) : value;
  if (target instanceof Float32Array || target instanceof Float64Array) {
    target[at] = number === null ? NaN : Number(number);
    return;
  }
  if (number === null || typeof number !== 'number' || !Number.isInteger(number)) {
    throw UserError.at(
      `column '${column}' is ${number === null ? 'missing' : JSON.stringify(value)}, but the ONNX input '${input.name}' takes ${input.type}${number === null ? ', which has no missing value' : ''}`,
    );
  }
  if (target instanceof BigInt64Array) target[at] = BigInt(number);
  else target[at] = number;
}
