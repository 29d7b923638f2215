import { ExpressionError } from './errors';

export type TokenKind = 'number' | 'string' | 'name' | 'quotedName' | 'op' | 'end';

export interface Token {
  kind: TokenKind;
  /** The operator, the name, the string's value, or the number as written. */
  text: string;
  start: number;
  end: number;
}

const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '+', '-', '*', '/', '%', '!', '(', ')', ','];
const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const NAME = /[\p{L}_][\p{L}\p{N}_]*/uy;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' };

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    NUMBER.lastIndex = i;
    NAME.lastIndex = i;
    if (NUMBER.test(text)) {
      i = NUMBER.lastIndex;
      if (NAME.test(text.slice(i, i + 1))) throw new ExpressionError(`unexpected '${text[i]}' right after the number ${text.slice(start, i)}`, i, i + 1);
      tokens.push({ kind: 'number', text: text.slice(start, i), start, end: i });
    } else if (NAME.test(text)) {
      i = NAME.lastIndex;
      tokens.push({ kind: 'name', text: text.slice(start, i), start, end: i });
    } else if (c === "'" || c === '"') {
      const { value, end } = readString(text, start);
      tokens.push({ kind: 'string', text: value, start, end });
      i = end;
    } else if (c === '`') {
      const { value, end } = readQuotedName(text, start);
      tokens.push({ kind: 'quotedName', text: value, start, end });
      i = end;
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      if (op === undefined) {
        if (c === '=') throw new ExpressionError("unexpected '='", i, i + 1, "use '==' to compare");
        throw new ExpressionError(`unexpected character '${c}'`, i, i + 1);
      }
      i += op.length;
      tokens.push({ kind: 'op', text: op, start, end: i });
    }
  }
  tokens.push({ kind: 'end', text: '', start: text.length, end: text.length });
  return tokens;
}

function readString(text: string, start: number): { value: string; end: number } {
  const quote = text[start];
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === quote) return { value, end: i + 1 };
    if (c === '\\') {
      const escaped = ESCAPES[text[i + 1]];
      if (escaped === undefined) throw new ExpressionError(`unknown escape '\\${text[i + 1] ?? ''}' in a string`, i, i + 2, "write '\\\\' for a backslash");
      value += escaped;
      i++;
    } else {
      value += c;
    }
  }
  throw new ExpressionError(`unterminated string: expected a closing ${quote}`, start, text.length);
}

/** `odd name` for column names that are not identifiers; a doubled backquote stands for one. */
function readQuotedName(text: string, start: number): { value: string; end: number } {
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] !== '`') value += text[i];
    else if (text[i + 1] === '`') value += text[i++];
    else if (value.length === 0) throw new ExpressionError('empty column name between backquotes', start, i + 1);
    else return { value, end: i + 1 };
  }
  throw new ExpressionError('unterminated column name: expected a closing `', start, text.length);
}
