import { hasFields, isObj, isStr } from './guards';

/**
 * The message every page sends the same way, whatever its panel: a line for the extension's log (an
 * error in the page, a message it could not read, what the CSP blocked). Each contract's
 * page-to-extension union includes it; webview/common/boot.ts writes it, PanelHost logs it.
 */
export interface PageLog {
  type: 'log';
  payload: { level: 'error' | 'warn' | 'info'; message: string };
}

export function isPageLog(m: unknown): m is PageLog {
  return isObj(m) && m.type === 'log' && hasFields(m.payload, { level: (l) => l === 'error' || l === 'warn' || l === 'info', message: isStr });
}
