/**
 * The interface's two users and how a request names one, as ClickHouse reads credentials: HTTP basic
 * auth, the `X-ClickHouse-User` / `X-ClickHouse-Key` headers, or the `user` / `password` URL
 * parameters (one way per request); no user named means `default`.
 *
 * - `default`: read-only (`readonly=1`), with FAULTLINE_CLICKHOUSE_HTTP_PASSWORD (empty unless set);
 * - `admin`: may also insert and run DDL; exists only when FAULTLINE_CLICKHOUSE_HTTP_ADMIN_PASSWORD is set.
 *
 * Passwords are compared in constant time (server/auth/secrets.ts).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { sameSecret } from '../auth/secrets';
import { authenticationFailed, ClickHouseException } from './errors';

export type User = { name: 'default' | 'admin'; readonly: boolean };
export type UserPasswords = { defaultPassword: string; adminPassword?: string };

type Credentials = { user?: string; password?: string };

function fromHeaders(headers: IncomingHttpHeaders): { basic?: Credentials; clickhouse?: Credentials } {
  const found: { basic?: Credentials; clickhouse?: Credentials } = {};
  const basic = /^Basic\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    found.basic = colon < 0 ? { user: decoded } : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  const user = headers['x-clickhouse-user'];
  const key = headers['x-clickhouse-key'];
  if (user !== undefined || key !== undefined) found.clickhouse = { user: String(user ?? ''), password: String(key ?? '') };
  return found;
}

/** The user the request authenticates as; AUTHENTICATION_FAILED (516) for a wrong password or an unknown user. */
export function authenticate(headers: IncomingHttpHeaders, fromUrl: Credentials, passwords: UserPasswords): User {
  const { basic, clickhouse } = fromHeaders(headers);
  const url = fromUrl.user !== undefined || fromUrl.password !== undefined ? fromUrl : undefined;
  const ways = [basic, clickhouse, url].filter((way) => way !== undefined);
  if (ways.length > 1) {
    throw new ClickHouseException(516, 'Invalid authentication: it is not allowed to use more than one of Authorization (basic), X-ClickHouse-User/X-ClickHouse-Key and the user/password URL parameters');
  }
  const name = ways[0]?.user || 'default';
  const password = ways[0]?.password ?? '';
  if (name === 'default' && sameSecret(password, passwords.defaultPassword)) return { name, readonly: true };
  if (name === 'admin' && passwords.adminPassword !== undefined && sameSecret(password, passwords.adminPassword)) return { name, readonly: false };
  throw authenticationFailed(name);
}
