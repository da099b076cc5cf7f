/**
 * The dashboard password's two uses: compared with what a client sends, and as the key that signs
 * session cookies. Comparisons run on SHA-256 digests, so `timingSafeEqual` always sees equal lengths
 * and the time taken says nothing about how much of a guess was right.
 */
import { createHash, createHmac, scryptSync, timingSafeEqual } from 'node:crypto';

export const sessionSeconds = 12 * 60 * 60;

export function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export type SessionSigner = {
  /** `<expiry in Unix seconds>.<HMAC of it>`: valid until then, on any process that knows the password. */
  issue(nowMs: number): string;
  verify(token: string, nowMs: number): boolean;
};

export function sessionSigner(password: string): SessionSigner {
  // scrypt, so a stolen cookie is no shortcut to guessing the password offline.
  const key = scryptSync(password, 'faultline dashboard session', 32);
  const sign = (expires: string) => createHmac('sha256', key).update(expires).digest('base64url');
  return {
    issue(nowMs) {
      const expires = String(Math.floor(nowMs / 1000) + sessionSeconds);
      return `${expires}.${sign(expires)}`;
    },
    verify(token, nowMs) {
      const [expires, mac, ...rest] = token.split('.');
      if (!expires || !mac || rest.length > 0 || !/^\d{1,12}$/.test(expires)) return false;
      return sameSecret(mac, sign(expires)) && Number(expires) * 1000 > nowMs;
    },
  };
}
