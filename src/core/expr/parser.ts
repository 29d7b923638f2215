import { COMPARISONS, type BinaryOp, type Expr } from './ast';
import { ExpressionError } from './errors';
import { tokenize, type Token } from './lexer';
import { formatCount } from '../util/format';

/** Binding powers [left, right] of infix operators; higher binds tighter. */
const INFIX = new Map<string, [number, number, BinaryOp]>(
  Object.entries<[number, number, BinaryOp]>({
    or: [1, 2, 'or'],
    '||': [1, 2, 'or'],
    and: [3, 4, 'and'],
    '&&': [3, 4, 'and'],
    '==': [5, 6, '=='],
    '!=': [5, 6, '!='],
    '<': [5, 6, '<'],
    '<=': [5, 6, '<='],
    '>': [5, 6, '>'],
    '>=': [5, 6, '>='],
    '+': [7, 8, '+'],
    '-': [7, 8, '-'],
    '*': [9, 10, '*'],
    '/': [9, 10, '/'],
    '%': [9, 10, '%'],
  }),
);
/** `not` (and `!`) bind looser than comparisons, as in SQL and Python: `not a == b` is `not (a == b)`. */
const NOT_POWER = 5;
const NEGATE_POWER = 11;
const KEYWORDS = new Set(['and', 'or', 'not', 'true', 'false', 'null']);

/**
 * Bounds that keep checking and evaluating (recursive, like parsing) far from the stack's end: a
 * derived column is a formula, not a program.
 */
export const MAX_EXPRESSION_LENGTH = 10_000;
export const MAX_EXPRESSION_DEPTH = 200;

/** Pratt parser: tokens to AST, or an ExpressionError saying what was expected where. */
export function parse(text: string): Expr {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(
      `the expression is ${formatCount(text.length)} characters long; at most ${formatCount(MAX_EXPRESSION_LENGTH)} are allowed`,
      MAX_EXPRESSION_LENGTH,
      text.length,
      'split it into several derived columns',
    );
  }
  const parser = new Parser(tokenize(text));
  const root = parser.expression(0);
  const next = parser.peek();
  if (next.kind !== 'end')
    throw new ExpressionError('expected an operator or the end of the expression', next.start, next.end, undefined, `found ${describe(next)}`);
  checkDepth(root);
  return root;
}

function tooDeep(at: { start: number; end: number }): ExpressionError {
  return new ExpressionError(`the expression nests more than ${MAX_EXPRESSION_DEPTH} levels deep`, at.start, at.end, 'split it into several derived columns');
}

/** A long chain `a + b + c + …` parses in a loop but makes a deep tree: measured without recursion. */
function checkDepth(root: Expr): void {
  const stack: [Expr, number][] = [[root, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (depth > MAX_EXPRESSION_DEPTH) throw tooDeep(node);
    if (node.kind === 'binary') stack.push([node.left, depth + 1], [node.right, depth + 1]);
    else if (node.kind === 'unary') stack.push([node.operand, depth + 1]);
    else if (node.kind === 'call') for (const arg of node.args) stack.push([arg, depth + 1]);
  }
}

class Parser {
  private i = 0;
  /** Open expression() calls: nested parentheses, arguments and operators recurse. */
  private nesting = 0;

  constructor(private readonly tokens: Token[]) {}

  peek(): Token {
    return this.tokens[this.i];
  }

  expression(minPower: number): Expr {
    if (++this.nesting > MAX_EXPRESSION_DEPTH) throw tooDeep(this.peek());
    try {
      return this.operators(minPower);
    } finally {
      this.nesting--;
    }
  }

  private operators(minPower: number): Expr {
    let left = this.prefix();
    let comparedAt = -1;
    for (;;) {
      const token = this.peek();
      const infix = infixOf(token);
      if (!infix || infix[0] < minPower) return left;
      const [, right, op] = infix;
      if (COMPARISONS.has(op)) {
        if (comparedAt >= 0) {
          throw new ExpressionError(`comparisons cannot be chained: '${token.text}'`, token.start, token.end, "combine them with 'and', as in a < b and b < c");
        }
        comparedAt = token.start;
      } else {
        comparedAt = -1;
      }
      this.i++;
      const rhs = this.expression(right);
      left = { kind: 'binary', op, left, right: rhs, start: left.start, end: rhs.end };
    }
  }

  private prefix(): Expr {
    const token = this.tokens[this.i++];
    const { start, end } = token;
    switch (token.kind) {
      case 'number':
        return { kind: 'literal', value: Number(token.text), type: /[.eE]/.test(token.text) ? 'float' : 'int', start, end };
      case 'string':
        return { kind: 'literal', value: token.text, type: 'string', start, end };
      case 'quotedName':
        return { kind: 'column', name: token.text, start, end };
      case 'name':
        return this.name(token);
      case 'op':
        if (token.text === '(') {
          const inner = this.expression(0);
          const close = this.expect(')');
          return { ...inner, start, end: close.end };
        }
        if (token.text === '-') return this.unary('-', start, NEGATE_POWER);
        if (token.text === '!') return this.unary('not', start, NOT_POWER);
        break;
      case 'end':
        break;
    }
    throw new ExpressionError("expected a value, a column or '('", start, Math.max(end, start + 1), undefined, `found ${describe(token)}`);
  }

  private name(token: Token): Expr {
    const { start, end } = token;
    const word = token.text.toLowerCase();
    if (word === 'true' || word === 'false') return { kind: 'literal', value: word === 'true', type: 'bool', start, end };
    if (word === 'null') return { kind: 'literal', value: null, type: 'null', start, end };
    if (word === 'not') return this.unary('not', start, NOT_POWER);
    if (KEYWORDS.has(word)) {
      throw new ExpressionError(
        'expected a value',
        start,
        end,
        'write `name` in backquotes for a column named like a keyword',
        `found the keyword '${token.text}'`,
      );
    }
    if (this.peek().text !== '(' || this.peek().kind !== 'op') return { kind: 'column', name: token.text, start, end };
    this.i++;
    const args: Expr[] = [];
    if (!this.accept(')')) {
      do args.push(this.expression(0));
      while (this.accept(','));
      this.expect(')', "')' or ','");
    }
    return { kind: 'call', name: token.text, args, start, end: this.tokens[this.i - 1].end };
  }

  private unary(op: '-' | 'not', start: number, power: number): Expr {
    const operand = this.expression(power);
    return { kind: 'unary', op, operand, start, end: operand.end };
  }

  private accept(op: string): boolean {
    const token = this.peek();
    if (token.kind !== 'op' || token.text !== op) return false;
    this.i++;
    return true;
  }

  private expect(op: string, what = `'${op}'`): Token {
    const token = this.peek();
    if (!this.accept(op))
      throw new ExpressionError(`expected ${what}`, token.start, Math.max(token.end, token.start + 1), undefined, `found ${describe(token)}`);
    return token;
  }
}

function infixOf(token: Token): [number, number, BinaryOp] | undefined {
  if (token.kind === 'op') return INFIX.get(token.text);
  if (token.kind === 'name') return INFIX.get(token.text.toLowerCase());
  return undefined;
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'the end of the expression';
    case 'string':
      return 'a string';
    case 'number':
      return `the number ${token.text}`;
    case 'name':
      return `'${token.text}'`;
    case 'quotedName':
      return `\`${token.text}\``;
    case 'op':
      return `'${token.text}'`;
  }
}
