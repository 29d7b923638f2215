import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { UserError } from '../util/problems';
import { HttpError } from './http';

/** 127.0.0.0/8, ::1 and localhost: reachable from this machine only. */
function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '::ffff:127.0.0.1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/** Any other address exposes the model to the network, so it needs a token. */
export function checkExposure(host: string, token: string | undefined): void {
  if (isLoopback(host) || token) return;
  throw UserError.at(
    `refusing to serve on ${host} without a token: any machine that can reach it could query the model`,
    undefined,
    'pass --token T (or set MLOPS_SERVE_TOKEN) and send `Authorization: Bearer T`, or keep the default --host 127.0.0.1',
  );
}

/** Checks `Authorization: Bearer <token>` in constant time (hashes of equal length compared). */
export function bearerCheck(token: string): (req: IncomingMessage) => void {
  const expected = digest(token);
  return (req) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (match && timingSafeEqual(digest(match[1]), expected)) return;
    throw new HttpError(401, header ? 'the bearer token is wrong' : 'this server needs `Authorization: Bearer <token>`', { 'www-authenticate': 'Bearer' });
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
