/**
 * Helpers for tests: JSON calls against the running shop, sign-in, checkout,
 * polling with a deadline instead of sleeping, and throw-away databases.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from './shared/database';

export interface JsonAnswer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export async function callShop<T = unknown>(url: string, init: { method?: string; body?: unknown; token?: string; rawBody?: string } = {}): Promise<JsonAnswer<T>> {
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined && init.rawBody === undefined ? 'GET' : 'POST'),
    headers: {
      'content-type': 'application/json',
      ...(init.token && { authorization: `Bearer ${init.token}` }),
    },
    body: init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
}

export async function signIn(gatewayUrl: string, email = 'customer01@shop.example'): Promise<string> {
  const answer = await callShop<{ token: string }>(`${gatewayUrl}/api/signin`, { body: { email, password: 'demo' } });
  if (answer.status !== 200) throw new Error(`sign-in failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.token;
}

export async function placeOrder(gatewayUrl: string, token: string, items = [{ productId: 'p-mug', quantity: 1 }]) {
  return callShop<{ id: string; status: string }>(`${gatewayUrl}/api/orders`, { body: { items }, token });
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(description: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Timed out waiting for ${description}${last ? ` (last error: ${String(last)})` : ''}`);
}

/** A service's SQLite file with its schema, in a fresh temporary directory; `close` removes both. */
export function openTempDatabase(service: string, schema: URL): { db: Database.Database; close(): void } {
  const dir = mkdtempSync(join(tmpdir(), `faultline-${service}-`));
  const db = openDatabase(dir, service, [schema]);
  return {
    db,
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
