import type { Value } from '../data/cells';
import type { ExprType } from './ast';

/** What an argument must be; `null` is accepted everywhere (it is missing, not mistyped). */
export type Param = 'number' | 'int' | 'string' | 'bool' | 'any';

export interface FunctionSpec {
  /** Parameter kinds; with `variadic`, the last one repeats. */
  params: Param[];
  /** Fewest arguments (defaults to params.length). */
  min?: number;
  variadic?: boolean;
  /** Result type: fixed, the join of the argument types from an index on, or computed from them. */
  result: ExprType | { unifyFrom: number } | ((args: ExprType[]) => ExprType);
  /** Plain functions return null when an argument is null; these three decide for themselves. */
  special?: 'if' | 'is_null' | 'coalesce';
  apply?: (args: Value[]) => Value;
}

const num = (f: (x: number) => number | null) => (args: Value[]) => f(args[0] as number);

/**
 * Domain errors give null, like division by zero, so one odd row never aborts an ingest and the
 * missing-value statistics show how often it happened.
 */
export const FUNCTIONS: ReadonlyMap<string, FunctionSpec> = new Map<string, FunctionSpec>([
  ['if', { params: ['bool', 'any', 'any'], result: { unifyFrom: 1 }, special: 'if' }],
  ['is_null', { params: ['any'], result: 'bool', special: 'is_null' }],
  ['coalesce', { params: ['any'], variadic: true, result: { unifyFrom: 0 }, special: 'coalesce' }],
  ['abs', { params: ['number'], result: { unifyFrom: 0 }, apply: num(Math.abs) }],
  ['sqrt', { params: ['number'], result: 'float', apply: num((x) => (x < 0 ? null : Math.sqrt(x))) }],
  ['log', { params: ['number'], result: 'float', apply: num((x) => (x <= 0 ? null : Math.log(x))) }],
  ['exp', { params: ['number'], result: 'float', apply: num(Math.exp) }],
  ['floor', { params: ['number'], result: 'int', apply: num(Math.floor) }],
  ['ceil', { params: ['number'], result: 'int', apply: num(Math.ceil) }],
  [
    'round',
    {
      params: ['number', 'int'],
      min: 1,
      result: (args) => (args.length > 1 ? 'float' : 'int'),
      apply: (args) => round(args[0] as number, (args[1] as number | undefined) ?? 0),
    },
  ],
  ['min', { params: ['number'], variadic: true, result: { unifyFrom: 0 }, apply: (args) => Math.min(...(args as number[])) }],
  ['max', { params: ['number'], variadic: true, result: { unifyFrom: 0 }, apply: (args) => Math.max(...(args as number[])) }],
  ['lower', { params: ['string'], result: 'string', apply: (args) => (args[0] as string).toLowerCase() }],
  ['upper', { params: ['string'], result: 'string', apply: (args) => (args[0] as string).toUpperCase() }],
  ['length', { params: ['string'], result: 'int', apply: (args) => codePoints(args[0] as string) }],
  ['contains', { params: ['string', 'string'], result: 'bool', apply: (args) => (args[0] as string).includes(args[1] as string) }],
]);

/** Half away from zero, as SQL rounds (JavaScript's Math.round rounds -2.5 to -2). */
function round(x: number, digits: number): number {
  const scale = 10 ** digits;
  return (Math.sign(x) * Math.round(Math.abs(x) * scale)) / scale;
}

/** Characters as users count them, not UTF-16 units. */
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}
