import { isMap, isPair, isScalar, isSeq, LineCounter, type Document, type Node } from 'yaml';
import type { SourceLocation } from '../util/problems';

export type DocPath = (string | number)[];

/**
 * Finds source locations of values in a parsed YAML/JSON document, so every message about a value
 * points at the line and column where the user wrote it.
 */
export class DocumentPositions {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly file: string,
  ) {}

  /** The value at `path`; with `key: true`, the key of the last segment (for "unknown key" errors). */
  locate(path: DocPath, opts: { key?: boolean } = {}): SourceLocation {
    let node: unknown = this.doc.contents;
    let keyNode: Node | undefined;
    let deepest: unknown = node;
    for (const segment of path) {
      keyNode = undefined;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        keyNode = pair.key as Node;
        node = pair.value ?? pair.key;
      } else if (isSeq(node) && typeof segment === 'number') {
        node = node.items[segment];
      } else break;
      if (!node) break;
      deepest = node;
    }
    const target = (opts.key && keyNode) || (deepest as Node | undefined);
    return this.rangeOf(target);
  }

  /** Location of the first character of a scalar's text (inside its quotes), for errors within it. */
  valueStart(path: DocPath): SourceLocation & { quoted: boolean } {
    const node = this.doc.getIn(path, true);
    const loc = this.rangeOf(node as Node | undefined);
    const quoted = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
    return { ...loc, column: (loc.column ?? 1) + (quoted ? 1 : 0), quoted };
  }

  private rangeOf(node: Node | undefined): SourceLocation {
    const range = node?.range;
    if (!range) return { file: this.file, line: 1, column: 1 };
    const start = this.lines.linePos(range[0]);
    const end = this.lines.linePos(range[1]);
    return { file: this.file, line: start.line, column: start.col, endLine: end.line, endColumn: end.col };
  }
}
