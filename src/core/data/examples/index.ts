export * from './format';
export { BoolColumn, ColumnBatch, NumberColumn, StringColumn, type ColumnView } from './columns';
export { ExamplesWriter, SpanWriter } from './writer';
export { ExamplesReader, openExamples } from './reader';
