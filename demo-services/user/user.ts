/**
 * Identity for the shop: demo customers, sign-in with a password, opaque
 * bearer tokens with an expiry, and profiles.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Database } from '../shared/database';
import { NotFoundError, UnauthenticatedError } from '../shared/errors';

export const DEMO_PASSWORD = 'demo';
export const DEMO_CUSTOMER_COUNT = 24;
const TOKEN_TTL_MS = 60 * 60 * 1000;
const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Ken', 'Margaret', 'Linus', 'Frances', 'Dennis', 'Radia', 'Tim'];

export interface Profile {
  id: string;
  email: string;
  name: string;
  tier: 'standard' | 'gold';
}

export interface Session {
  token: string;
  userId: string;
  expiresAt: string;
}

/** `customer01@shop.example` … — the accounts the load generator signs in with. */
export function demoCustomerEmail(index: number): string {
  return `customer${String(index + 1).padStart(2, '0')}@shop.example`;
}

function hashPassword(password: string, salt: string): Buffer {
  // A low scrypt cost: this is a demo, and sign-ins are part of the load mix.
  return scryptSync(password, salt, 32, { N: 1024 });
}

export class UserDirectory {
  constructor(private readonly db: Database.Database) {}

  seedDemoCustomers(): void {
    const insert = this.db.prepare(
      `INSERT INTO users (id, email, name, tier, password_salt, password_hash) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    );
    this.db.transaction(() => {
      for (let i = 0; i < DEMO_CUSTOMER_COUNT; i++) {
        const salt = `salt-${i}`;
        const name = `${FIRST_NAMES[i % FIRST_NAMES.length]} ${String.fromCharCode(65 + i)}.`;
        insert.run(`u${String(i + 1).padStart(3, '0')}`, demoCustomerEmail(i), name, i % 4 === 0 ? 'gold' : 'standard', salt, hashPassword(DEMO_PASSWORD, salt).toString('hex'));
      }
    })();
  }

  signIn(email: string, password: string): Session {
    const row = this.db.prepare(`SELECT id, password_salt, password_hash FROM users WHERE email = ?`).get(email) as
      | { id: string; password_salt: string; password_hash: string }
      | undefined;
    if (!row || !timingSafeEqual(hashPassword(password, row.password_salt), Buffer.from(row.password_hash, 'hex'))) {
      throw new UnauthenticatedError('Unknown email or wrong password.');
    }
    const token = randomBytes(24).toString('base64url');
    const expiresAt = Date.now() + TOKEN_TTL_MS;
    this.db.prepare(`INSERT INTO sessions (token, user_id, expires_at) VALUES (?, ?, ?)`).run(token, row.id, expiresAt);
    return { token, userId: row.id, expiresAt: new Date(expiresAt).toISOString() };
  }

  verify(token: string): Session {
    const row = this.db.prepare(`SELECT user_id, expires_at FROM sessions WHERE token = ?`).get(token) as
      | { user_id: string; expires_at: number }
      | undefined;
    if (!row || row.expires_at < Date.now()) throw new UnauthenticatedError('The token is unknown or expired; sign in again.');
    return { token, userId: row.user_id, expiresAt: new Date(row.expires_at).toISOString() };
  }

  profile(userId: string): Profile {
    const row = this.db.prepare(`SELECT id, email, name, tier FROM users WHERE id = ?`).get(userId) as Profile | undefined;
    if (!row) throw new NotFoundError(`No user ${userId}.`);
    return row;
  }
}
