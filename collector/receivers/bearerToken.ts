/** The ingest token check shared by the receivers: `Bearer <FAULTLINE_INGEST_TOKEN>`, compared in constant time. */
import { timingSafeEqual } from 'node:crypto';

export function hasBearerToken(authorization: string | undefined, token: string): boolean {
  const header = authorization ?? '';
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7).trim() : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
