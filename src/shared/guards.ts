/**
 * Checks for what arrives over a webview message channel: every message is validated on arrival
 * (both directions), so a contract's validators are built from these few pieces.
 */
export type Check = (v: unknown) => boolean;
export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isInt = (v: unknown): v is number => Number.isInteger(v);
export const isNum = (v: unknown): v is number => typeof v === 'number';
export const isStr = (v: unknown): v is string => typeof v === 'string';
export const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
export const orNull =
  (f: Check): Check =>
  (v) =>
    v === null || f(v);
export const optional =
  (f: Check): Check =>
  (v) =>
    v === undefined || f(v);
export const arrayOf =
  (f: Check): Check =>
  (v) =>
    Array.isArray(v) && v.every(f);

export function hasFields(o: unknown, fields: Record<string, Check>): o is Obj {
  return isObj(o) && Object.entries(fields).every(([k, check]) => check(o[k]));
}

/** An array of objects each having `fields`. */
export const recordsOf = (fields: Record<string, Check>): Check => arrayOf((item) => hasFields(item, fields));
