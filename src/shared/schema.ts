/**
 * The shapes that cross a webview channel, each stated once: a schema is a run-time check whose
 * TypeScript type is derived from it (`Infer`), so a contract's type and its validation cannot
 * drift apart. Plain closures, no generated code: they run under the webviews' CSP (no `eval`).
 */

export interface Schema<T> {
  (v: unknown): v is T;
}

/** A key of `object` that may be absent. */
export interface OptionalSchema<T> extends Schema<T | undefined> {
  readonly optional: true;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

type AnySchema = Schema<unknown>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
type RequiredKeys<S> = { [K in keyof S]: S[K] extends OptionalSchema<unknown> ? never : K }[keyof S];
type OptionalKeys<S> = { [K in keyof S]: S[K] extends OptionalSchema<unknown> ? K : never }[keyof S];
type ObjectOf<S extends Record<string, AnySchema>> = Simplify<
  { [K in RequiredKeys<S>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Exclude<Infer<S[K]>, undefined> }
>;

/** A plain object (not null, not an array), its values not yet checked. */
export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const str: Schema<string> = (v): v is string => typeof v === 'string';
export const num: Schema<number> = (v): v is number => typeof v === 'number';
export const int: Schema<number> = (v): v is number => Number.isInteger(v);
export const bool: Schema<boolean> = (v): v is boolean => typeof v === 'boolean';
/** Anything (a value passed through to a library, such as a vega spec). */
export const unknown: Schema<unknown> = (_v): _v is unknown => true;

export function literal<const L extends readonly (string | number | boolean | null)[]>(...values: L): Schema<L[number]> {
  return (v): v is L[number] => values.includes(v as L[number]);
}

export function nullable<T>(s: Schema<T>): Schema<T | null> {
  return (v): v is T | null => v === null || s(v);
}

export function optional<T>(s: Schema<T>): OptionalSchema<T> {
  return Object.assign((v: unknown): v is T | undefined => v === undefined || s(v), { optional: true as const });
}

export function array<T>(item: Schema<T>): Schema<T[]> {
  return (v): v is T[] => Array.isArray(v) && v.every(item);
}

/** An object whose every own value passes `value` (keys are free text). */
export function record<T>(value: Schema<T>): Schema<Record<string, T>> {
  return (v): v is Record<string, T> => isRecord(v) && Object.values(v).every(value);
}

/** An object with at least these keys (others are allowed and ignored). */
export function object<S extends Record<string, AnySchema>>(shape: S): Schema<ObjectOf<S>> {
  const entries = Object.entries(shape);
  return (v): v is ObjectOf<S> => isRecord(v) && entries.every(([k, check]) => check(v[k]));
}

export function union<S extends AnySchema[]>(...options: S): Schema<Infer<S[number]>> {
  return (v): v is Infer<S[number]> => options.some((s) => s(v));
}

/** A schema narrowed by a test of the value it accepted (a range, a relation between fields). */
export function refine<T>(s: Schema<T>, test: (v: T) => boolean): Schema<T> {
  return (v): v is T => s(v) && test(v);
}

/** One message of a channel per key: `{ type: key, payload }`, the payload checked by the key's schema. */
export type MessagesOf<M extends Record<string, AnySchema>> = { [K in keyof M]: { type: K; payload: Infer<M[K]> } }[keyof M];

export function messages<M extends Record<string, AnySchema>>(payloads: M): Schema<MessagesOf<M>> {
  return (v): v is MessagesOf<M> => isRecord(v) && typeof v.type === 'string' && Object.hasOwn(payloads, v.type) && payloads[v.type](v.payload);
}
