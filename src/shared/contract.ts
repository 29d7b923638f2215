import { int, literal, messages, object, refine, str, union, type Infer, type MessagesOf, type Schema } from './schema';

/**
 * The message every page sends the same way, whatever its panel: a line for the extension's log (an
 * error in the page, a message it could not read, what the CSP blocked). Each contract's
 * page-to-extension channel includes it (`fromPage`); webview/common/boot.ts writes it, PanelHost logs it.
 */
export const isPageLog = object({
  type: literal('log'),
  payload: object({ level: literal('error', 'warn', 'info'), message: str }),
});
export type PageLog = Infer<typeof isPageLog>;

/** A page-to-extension channel: the contract's own messages and the page's log line. */
export function fromPage<M extends Record<string, Schema<unknown>>>(payloads: M): Schema<MessagesOf<M> | PageLog> {
  return union(messages(payloads), isPageLog);
}

/** The format of a chart a page exports: SVG text, or a PNG `data:image/png;base64,` URL. */
export const isChartFormat = literal('svg', 'png');

/** A chart a page exports, by its name on the page (src/extension/util/export.ts saves it). */
export const isChartExport = object({ chart: str, format: isChartFormat, data: str });

/** What a run panel is sent when its run is not in the store (deleted, or another workspace's). */
export const isRunNotFound = object({ runId: int, message: str });

/** A run's id as a saved page state names it. */
export const isRunId = refine(int, (id) => id > 0);

/**
 * The part of a run panel's saved state that the serializer needs to reopen it after a reload: a
 * state from an older build whose other parts no longer pass is still restored for its run.
 */
export const isRunState = object({ runId: isRunId });
