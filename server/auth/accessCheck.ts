/**
 * Who is signed in, for every listener that serves Faultline's data to people and their tools — the
 * dashboard (gate.ts), the Jaeger query API (server/jaegerServer.ts) and any other read port — from
 * the one set of settings (FAULTLINE_UI_*). A request is signed in by:
 *
 * - FAULTLINE_UI_TRUSTED_HEADER, from one of FAULTLINE_UI_TRUSTED_PROXIES (from anyone else the
 *   header is removed);
 * - `Authorization: Bearer <FAULTLINE_UI_PASSWORD>`, or `Basic` with that password and any user name
 *   (Grafana's data sources send Basic);
 * - the session cookie the dashboard's `/login` sets.
 */
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import { ConfigError, type UiAuthConfig } from '@/lib/config';
import { sameSecret, sessionSigner, type SessionSigner } from './secrets';
import { trustedProxies } from './trustedProxies';

export const sessionCookieName = 'faultline_session';

export type AccessCheck = {
  signedIn(req: IncomingMessage): boolean;
  /** Signs the sessions `signedIn` accepts; undefined without a password. */
  signer?: SessionSigner;
};

/**
 * The check for these settings, or undefined when `listener` (named in the refusal, such as "The
 * dashboard") is open to anyone who reaches it: on a loopback host with no sign-in configured, or
 * with FAULTLINE_UI_AUTH=none. Throws on any other host with no sign-in configured.
 */
export function accessCheck(listener: string, host: string, auth: UiAuthConfig): AccessCheck | undefined {
  const { password, trustedHeader } = auth;
  if (!password && !trustedHeader) {
    if (auth.none || isLoopback(host)) return undefined;
    throw new ConfigError(
      `${listener} would listen on ${host} with no sign-in. Set FAULTLINE_UI_PASSWORD, or FAULTLINE_UI_TRUSTED_HEADER ` +
        '(with FAULTLINE_UI_TRUSTED_PROXIES) behind an authenticating proxy, or FAULTLINE_UI_AUTH=none to open it to anyone who can reach it.',
    );
  }
  const signer = password === undefined ? undefined : sessionSigner(password);
  const fromProxy = trustedHeader && trustedProxies(trustedHeader.proxies);
  return {
    signer,
    signedIn(req) {
      if (trustedHeader && fromProxy) {
        if (!fromProxy(req.socket.remoteAddress)) delete req.headers[trustedHeader.name];
        else if (String(req.headers[trustedHeader.name] ?? '').trim() !== '') return true;
      }
      if (password === undefined || signer === undefined) return false;
      const [, scheme, credentials] = /^(Bearer|Basic) +(.+)$/i.exec(req.headers.authorization ?? '') ?? [];
      if (scheme?.toLowerCase() === 'bearer') return sameSecret(credentials!.trim(), password);
      if (scheme?.toLowerCase() === 'basic') return sameSecret(basicPassword(credentials!), password);
      const session = readCookie(req.headers.cookie, sessionCookieName);
      return session !== undefined && signer.verify(session, Date.now());
    },
  };
}

/** The password of `Basic base64(user:password)`; the user name is not checked. */
function basicPassword(credentials: string): string {
  const decoded = Buffer.from(credentials.trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? '' : decoded.slice(colon + 1);
}

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

export function isLoopback(host: string): boolean {
  const family = isIP(host);
  return host === 'localhost' || (family !== 0 && loopback.check(host, family === 6 ? 'ipv6' : 'ipv4'));
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const [key, ...value] = pair.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
