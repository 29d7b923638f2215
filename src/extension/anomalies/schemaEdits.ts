import { applyEdits, findNodeAtLocation, getNodeValue, modify, parseTree, type Node, type ParseError } from 'jsonc-parser';
import { fixOperations, type SchemaFix, type SchemaOperation } from './fixes';

/** A replacement in the schema text by character offsets (jsonc-parser's `Edit`). */
export interface TextEdit {
  offset: number;
  length: number;
  content: string;
}

export class SchemaEditError extends Error {}

/**
 * The text edit that carries out `fix` on the schema file's text. Pure: text in, edits out; an
 * empty list means the schema already allows what the fix would write (the fix is "applied").
 *
 * Formatting is preserved: values are replaced and entries inserted in place, written in the style
 * around them (a one-line array gets `, "Mobile"`, a multi-line one a new indented line; new objects
 * follow the file's habit: `{ "min_count": 1 }` inline, or expanded like JSON.stringify). jsonc-parser's
 * own `modify` with `formattingOptions` reformats the whole edited region (a neighbouring one-line
 * object gets expanded), so it is used only for plain value replacement and, with the file's
 * detected indentation, for the rare case of a missing parent that is not an object.
 */
export function schemaFixEdits(text: string, fix: SchemaFix): TextEdit[] {
  let current = text;
  for (const op of fixOperations(fix)) current = applyEdits(current, operationEdits(current, op));
  return diff(text, current);
}

/** True when the schema already says what the fix would write (nothing left to do). */
export function isFixApplied(text: string, fix: SchemaFix): boolean {
  try {
    return schemaFixEdits(text, fix).length === 0;
  } catch {
    return false;
  }
}

function parse(text: string): Node {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (!tree || errors.length) throw new SchemaEditError('the schema file is not valid JSON; fix its syntax first');
  if (tree.type !== 'object') throw new SchemaEditError('the schema file is not a JSON object');
  return tree;
}

function operationEdits(text: string, op: SchemaOperation): TextEdit[] {
  const tree = parse(text);
  const style = detectStyle(text, tree);
  const node = findNodeAtLocation(tree, op.path);
  if (op.op === 'append') {
    if (node?.type === 'array') return appendEdits(text, node, op.values, style);
    return setEdits(text, tree, op.path, op.values, style);
  }
  if (node && op.keepIf?.(getNodeValue(node))) return [];
  return setEdits(text, tree, op.path, op.value, style);
}

function setEdits(text: string, tree: Node, path: string[], value: unknown, style: Style): TextEdit[] {
  const node = findNodeAtLocation(tree, path);
  if (node) {
    // A replaced object keeps its shape (one line or expanded); a scalar becoming one follows the file.
    const inline = node.type === 'object' || node.type === 'array' ? !isMultiLine(text, node) : style.inline;
    return [{ offset: node.offset, length: node.length, content: render(value, inline, lineIndent(text, node.offset), style) }];
  }
  // The deepest existing object on the path takes the rest as one nested property.
  for (let depth = path.length - 1; depth >= 0; depth--) {
    const parent = depth === 0 ? tree : findNodeAtLocation(tree, path.slice(0, depth));
    if (!parent) continue;
    if (parent.type !== 'object') break;
    const nested = path.slice(depth + 1).reduceRight<unknown>((v, key) => ({ [key]: v }), value);
    return insertProperty(text, parent, path[depth], nested, style);
  }
  return modify(text, path, value, { formattingOptions: { insertSpaces: style.indent !== '\t', tabSize: style.indent.length, eol: style.eol } });
}

function insertProperty(text: string, obj: Node, key: string, value: unknown, style: Style): TextEdit[] {
  const props = obj.children ?? [];
  const name = JSON.stringify(key);
  const multiLine = isMultiLine(text, obj);
  if (props.length === 0) {
    const indent = lineIndent(text, obj.offset);
    if (!multiLine) return [{ offset: obj.offset, length: obj.length, content: `{ ${name}: ${render(value, true, '', style)} }` }];
    const inner = indent + style.indent;
    return [
      { offset: obj.offset, length: obj.length, content: `{${style.eol}${inner}${name}: ${render(value, style.inline, inner, style)}${style.eol}${indent}}` },
    ];
  }
  const last = props[props.length - 1];
  const end = last.offset + last.length;
  if (!multiLine) return [{ offset: end, length: 0, content: `, ${name}: ${render(value, true, '', style)}` }];
  const indent = lineIndent(text, last.offset);
  return [{ offset: end, length: 0, content: `,${style.eol}${indent}${name}: ${render(value, style.inline, indent, style)}` }];
}

function appendEdits(text: string, array: Node, values: unknown[], style: Style): TextEdit[] {
  const existing = getNodeValue(array) as unknown[];
  const seen = new Set(existing.map((v) => JSON.stringify(v)));
  const added = values.filter((v) => {
    const key = JSON.stringify(v);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (added.length === 0) return [];
  const items = added.map((v) => JSON.stringify(v));
  const children = array.children ?? [];
  if (children.length === 0) return [{ offset: array.offset, length: array.length, content: `[${items.join(', ')}]` }];
  const last = children[children.length - 1];
  const end = last.offset + last.length;
  if (!isMultiLine(text, array)) {
    // The separator the array already uses (`, ` or `,`).
    const sep = children.length > 1 ? text.slice(children[0].offset + children[0].length, children[1].offset) : ', ';
    return [{ offset: end, length: 0, content: items.map((i) => sep + i).join('') }];
  }
  const indent = lineIndent(text, last.offset);
  return [{ offset: end, length: 0, content: items.map((i) => `,${style.eol}${indent}${i}`).join('') }];
}

interface Style {
  indent: string;
  eol: string;
  /** New objects and arrays are written on one line (the file writes its small ones that way). */
  inline: boolean;
}

function detectStyle(text: string, tree: Node): Style {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indents = text
    .split(/\r?\n/)
    .map((l) => /^([ \t]+)\S/.exec(l)?.[1])
    .filter((s): s is string => !!s);
  const indent = indents.some((s) => s.startsWith('\t')) ? '\t' : ' '.repeat(Math.min(...indents.map((s) => s.length), 8) || 2);
  // Small containers inside feature entries: one-line ({ "min": 0, "max": 9 }) or expanded?
  let single = 0;
  let multi = 0;
  const visit = (n: Node, depth: number) => {
    if ((n.type === 'object' || n.type === 'array') && depth >= 3 && n.children?.length) {
      if (isMultiLine(text, n)) multi++;
      else single++;
    }
    for (const c of n.children ?? []) visit(c, c.type === 'property' ? depth : depth + 1);
  };
  visit(tree, 0);
  return { indent: indent || '  ', eol, inline: single > 0 && single >= multi };
}

function render(value: unknown, inline: boolean, baseIndent: string, style: Style): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (inline) return renderInline(value);
  return JSON.stringify(value, null, style.indent)
    .split('\n')
    .join(style.eol + baseIndent);
}

function renderInline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(renderInline).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${renderInline(v)}`);
    return entries.length ? `{ ${entries.join(', ')} }` : '{}';
  }
  return JSON.stringify(value);
}

function isMultiLine(text: string, node: Node): boolean {
  return /[\r\n]/.test(text.slice(node.offset, node.offset + node.length));
}

/** The leading whitespace of the line `offset` is on. */
function lineIndent(text: string, offset: number): string {
  const start = Math.max(text.lastIndexOf('\n', offset - 1) + 1, 0);
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
}

/** One edit covering what differs between two texts: the smallest undo step and the smallest diff. */
function diff(before: string, after: string): TextEdit[] {
  if (before === after) return [];
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before[endB - 1] === after[endA - 1]) {
    endB--;
    endA--;
  }
  return [{ offset: start, length: endB - start, content: after.slice(start, endA) }];
}
