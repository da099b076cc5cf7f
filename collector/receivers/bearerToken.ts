/** The `Authorization: Bearer <FAULTLINE_INGEST_TOKEN>` check every receiver makes when a token is set. */
import type { IncomingMessage } from 'node:http';
import { timingSafeEqual } from 'node:crypto';

export function hasBearerToken(request: IncomingMessage, token: string): boolean {
  const header = request.headers.authorization ?? '';
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7).trim() : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
