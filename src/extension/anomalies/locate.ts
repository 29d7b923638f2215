import { LineCounter, parseDocument } from 'yaml';
import { DocumentPositions, type DocPath } from '../../core/pipeline/positions';
import type { SourceLocation } from '../../core/util/problems';

/**
 * Where a feature's entry (`features.<name>` key) is in a schema file; the `yaml` parser reads JSON
 * with positions too. A feature the schema lacks points at `features`; a dataset-level anomaly
 * (feature null) at `num_examples` or `features`.
 */
export function schemaEntryLocation(text: string, file: string, feature: string | null): SourceLocation & { exact: boolean } {
  const { doc, positions } = parse(text, file);
  const candidates: DocPath[] = feature === null ? [['num_examples'], ['features']] : [['features', feature], ['features']];
  for (const [i, p] of candidates.entries()) {
    if (doc.hasIn(p)) return { ...positions.locate(p, { key: true }), exact: i === 0 };
  }
  return { file, line: 1, column: 1, exact: false };
}

/** A pipeline file's `schema:` key, else `data:` (where dataset-level anomalies are reported). */
export function pipelineDataLocation(text: string, file: string): SourceLocation {
  const { doc, positions } = parse(text, file);
  for (const key of ['schema', 'data']) if (doc.has(key)) return positions.locate([key], { key: true });
  return { file, line: 1, column: 1 };
}

/** The pipeline file's `schema:` value, if it is a string. */
export function pipelineSchemaPath(text: string): string | undefined {
  const value: unknown = parseDocument(text).get('schema');
  return typeof value === 'string' ? value : undefined;
}

function parse(text: string, file: string) {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  return { doc, positions: new DocumentPositions(doc, lines, file) };
}
