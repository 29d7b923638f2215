import type { PageLog } from '../../src/shared/contract';
import { vscodeApi } from './vscodeApi';

/** What a started page offers its code: sending to the extension, and reporting an error to its log. */
export interface Page<From> {
  post(message: From): void;
  /** The error's message and stack, as a line of the extension's log for this panel. */
  logError(e: unknown): void;
}

/**
 * Starts a webview page the way every MLOps page starts. Messages from the extension are validated
 * (an invalid one is logged and dropped) and handed to `onMessage`; whatever it throws or rejects
 * with is logged, and so are uncaught errors, unhandled rejections and what the CSP blocks. A theme
 * change (VS Code switches the body's class) calls `onTheme`: charts take their colours from it.
 * Every contract's page-to-extension messages include the log line (PageLog, src/shared/contract.ts).
 */
export function startPage<To, From>(o: { isMessage(m: unknown): m is To; onMessage(m: To): void | Promise<void>; onTheme?(): void }): Page<From> {
  const api = vscodeApi<unknown>();
  const log = (level: PageLog['payload']['level'], message: string) => api.postMessage({ type: 'log', payload: { level, message } } satisfies PageLog);
  const logError = (e: unknown) => log('error', errorText(e));

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = event.data;
    if (!o.isMessage(message)) {
      log('warn', `ignored an invalid message: ${JSON.stringify(message)?.slice(0, 200)}`);
      return;
    }
    try {
      const handled = o.onMessage(message);
      if (handled) handled.catch(logError);
    } catch (e) {
      logError(e);
    }
  });
  window.addEventListener('error', (e) => log('error', `${e.message} (${e.filename}:${e.lineno})`));
  window.addEventListener('unhandledrejection', (e) => logError(e.reason));
  document.addEventListener('securitypolicyviolation', (e) => log('warn', `CSP blocked ${e.effectiveDirective}: ${e.blockedURI || 'inline'}`));
  if (o.onTheme) {
    const onTheme = o.onTheme;
    new MutationObserver(() => {
      try {
        onTheme();
      } catch (e) {
        logError(e);
      }
    }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  }
  return { post: (message) => api.postMessage(message), logError };
}

/** `fn`, once a burst of calls is over (`ms` after the last): what a page reports it shows, for the tests and the log. */
export function afterBurst(fn: () => void, ms = 100): () => void {
  let timer: number | undefined;
  return () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(fn, ms);
  };
}

/** An error as one text for the extension's log: message and stack. */
export function errorText(e: unknown): string {
  return e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
}
