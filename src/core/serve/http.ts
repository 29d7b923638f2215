import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A request the server refuses, with the HTTP status it answers and the message of its
 * `{"error": ...}` body. A UserError stays a UserError (the CLI's own mistakes); an HttpError is
 * the client's, and the server keeps running.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string, contentType: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * JSON, `application/*+json`, no content type, or `application/x-www-form-urlencoded`: what
 * `curl -d '{...}'` sends, as TF Serving's own examples do, and TF Serving reads it as JSON.
 * Anything else (CSV, text, multipart, binary) is a 415.
 */
export function checkJsonContentType(req: IncomingMessage): void {
  const type = req.headers['content-type'];
  if (type === undefined) return;
  const media = type.split(';', 1)[0].trim().toLowerCase();
  if (media === 'application/json' || media === 'application/x-www-form-urlencoded' || (media.startsWith('application/') && media.endsWith('+json'))) return;
  throw new HttpError(415, `the body must be JSON (Content-Type: application/json), not ${media || 'an empty content type'}`);
}

/**
 * The whole body, refused with 413 as soon as it passes `limit` bytes (announced or received). The
 * connection is then closed rather than drained, so an oversized upload costs nothing more.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const announced = Number(req.headers['content-length']);
  if (Number.isFinite(announced) && announced > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        reject(tooLarge(limit));
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    // A client that goes away mid-body ('aborted', or the request timeout closing it) has nobody to
    // answer, and it is the client's doing: a 400 for the metrics, never an internal error.
    const gone = () => reject(new HttpError(400, 'the client closed the connection before the body was complete'));
    req.on('error', gone);
    req.on('close', () => {
      if (!req.complete) gone();
    });
  });
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, `the body is larger than the limit of ${formatBytes(limit)}`, { connection: 'close' });
}

function formatBytes(n: number): string {
  return n >= 1 << 20 ? `${+(n / (1 << 20)).toFixed(1)} MB` : n >= 1 << 10 ? `${+(n / (1 << 10)).toFixed(1)} KB` : `${n} bytes`;
}

/** The body as JSON; a parse failure is a 400 that says where. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) throw new HttpError(400, 'the body is empty: send a JSON object');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new HttpError(400, `the body is not valid JSON: ${(e as Error).message}`);
  }
}
