export * from './types';
export { fitTransform, TRAIN_SPLIT, type FitOptions } from './fit';
export { planTransform, type TransformPlan, type TransformSettings } from './plan';
export { transformRow, transformRows, rawRowAccessor, rawValue, ColumnCursor, type InputAccessor } from './row';
export { encodeLabel } from './label';
export { materializeSplit, type MaterializedSplit } from './materialize';
export { loadTransformGraph, writeTransformGraph, TRANSFORM_GRAPH_FILE } from './graph';
export { openTransformedSplit, TransformedSplitWriter, TransformedSplitReader, readTransformedMeta, type TransformedSplitMeta } from './dataset';
export { fnv1a32 } from './hash';
