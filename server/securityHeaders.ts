/**
 * The headers every dashboard answer carries, set by the custom server before Next.js (or the login
 * page) writes the answer. The Content-Security-Policy allows only scripts holding this request's
 * nonce: Next.js reads the policy from the request's own `content-security-policy` header and puts
 * its nonce on the scripts it renders, which is what its documented proxy-based approach does too
 * (app/layout.tsx renders every page per request so that each gets its nonce).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Returns the request's nonce, for the answers the server writes itself (the sign-in page's style). */
export function applySecurityHeaders(req: IncomingMessage, res: ServerResponse): string {
  const nonce = randomBytes(18).toString('base64');
  const policy = [
    "default-src 'self'",
    // 'strict-dynamic': the chunks Next's nonce-bearing scripts load are trusted through them.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  // Overwritten whatever the client sent, so no one chooses the nonce Next.js renders.
  req.headers['content-security-policy'] = policy;
  delete req.headers['content-security-policy-report-only'];
  res.setHeader('Content-Security-Policy', policy);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'same-origin');
  return nonce;
}
