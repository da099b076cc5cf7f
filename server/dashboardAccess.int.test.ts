/**
 * The dashboard server's sign-in gate and security headers, over real HTTP: the production build
 * served by server/dashboardServer.ts on free 127.0.0.1 ports, reading a real embedded store.
 * Requests "from another machine" leave from 127.0.0.2 (Linux routes all of 127/8 to loopback).
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostStore } from '@/lib/host';
import type { UiAuthConfig } from '@/lib/config';
import { startTestFaultline, type TestFaultline } from '@/tests/support/faultline';
import { startDashboard, type Dashboard } from './dashboardServer';
import { ensureDashboardBuild } from './ensureDashboardBuild';

const password = 'correct horse battery staple';
const services = `/api/services?from=${Date.now() - 3_600_000}&to=${Date.now()}`;
const auth: UiAuthConfig = { password, trustedHeader: { name: 'x-forwarded-user', proxies: ['127.0.0.2'] }, none: false };

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; from?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers, localAddress: options.from }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

function signIn(url: string, typed: string, next = '/'): Promise<Answer> {
  return send(`${url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ password: typed, next }).toString(),
  });
}

function sessionOf(answer: Answer): string {
  const cookie = answer.headers['set-cookie']?.[0] ?? '';
  return cookie.split(';')[0]!;
}

let faultline: TestFaultline;
let dashboard: Dashboard;

beforeAll(async () => {
  ensureDashboardBuild();
  faultline = await startTestFaultline();
  hostStore(faultline.store);
  dashboard = await startDashboard({ host: '127.0.0.1', port: 0, auth });
});

afterAll(async () => {
  await dashboard?.close();
  hostStore(undefined);
  await faultline?.stop();
});

describe('the dashboard with FAULTLINE_UI_PASSWORD', () => {
  it('sends pages to /login and answers /api/* 401 JSON without a session; /api/health stays open', async () => {
    const page = await send(`${dashboard.url}/traces?range=1h`);
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2Ftraces%3Frange%3D1h');
    const form = await send(`${dashboard.url}${page.headers.location}`);
    expect(form.status).toBe(200);
    expect(form.body).toContain('<form method="post" action="/login">');
    expect(form.body).toContain('value="/traces?range=1h"');
    expect(form.body).not.toContain('<script');
    expect(form.body).toContain(`<style nonce="${/'nonce-([^']+)'/.exec(form.headers['content-security-policy'] as string)![1]}">`);

    const api = await send(`${dashboard.url}${services}`);
    expect(api.status).toBe(401);
    expect(api.headers['content-type']).toBe('application/json');
    expect(api.headers['www-authenticate']).toBe('Bearer realm="Faultline"');
    expect(JSON.parse(api.body)).toMatchObject({ error: { code: 'FAULTLINE_ERR_UNAUTHENTICATED' } });
    expect((await send(`${dashboard.url}/_next/static/chunks/x.js`)).status).toBe(303);
    expect((await send(`${dashboard.url}/api/health`)).status).toBe(200);
  });

  it('refuses a wrong password; the right one sets the session cookie, then pages and APIs answer; sign-out ends it', async () => {
    const wrong = await signIn(dashboard.url, 'correct horse');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toContain('Wrong password.');
    expect(wrong.headers['set-cookie']).toBeUndefined();

    const right = await signIn(dashboard.url, password, '/services/order?range=1h');
    expect(right.status).toBe(303);
    expect(right.headers.location).toBe('/services/order?range=1h');
    expect(right.headers['set-cookie']?.[0]).toMatch(/^faultline_session=\d+\.[\w-]+; Path=\/; Max-Age=43200; HttpOnly; SameSite=Lax$/);
    const cookie = sessionOf(right);

    const page = await send(`${dashboard.url}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('Sign out');
    const api = await send(`${dashboard.url}${services}`, { headers: { cookie } });
    expect(api.status).toBe(200);
    expect(JSON.parse(api.body)).toEqual({ services: [] });

    const forged = `${cookie.split('.')[0]!.replace(/\d$/, (d) => String((Number(d) + 1) % 10))}.${cookie.split('.')[1]}`;
    expect((await send(`${dashboard.url}${services}`, { headers: { cookie: forged } })).status).toBe(401);

    const out = await send(`${dashboard.url}/logout`, { method: 'POST', headers: { cookie } });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/login');
    expect(out.headers['set-cookie']?.[0]).toMatch(/^faultline_session=; Path=\/; Max-Age=0;/);
    expect((await send(`${dashboard.url}/logout`, { headers: { cookie } })).status).toBe(405);
  });

  it('goes back only to a path of its own after sign-in, and marks the cookie Secure behind https', async () => {
    expect((await signIn(dashboard.url, password, '//evil.example/x')).headers.location).toBe('/');
    expect((await signIn(dashboard.url, password, 'https://evil.example/')).headers.location).toBe('/');
    const behindTls = await send(`${dashboard.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-proto': 'https' },
      body: new URLSearchParams({ password }).toString(),
    });
    expect(behindTls.headers['set-cookie']?.[0]).toMatch(/; Secure$/);
  });

  it('takes the password as a Bearer token from API clients', async () => {
    expect((await send(`${dashboard.url}${services}`, { headers: { authorization: `Bearer ${password}` } })).status).toBe(200);
    expect((await send(`${dashboard.url}${services}`, { headers: { authorization: `Bearer ${password}!` } })).status).toBe(401);
    expect((await send(`${dashboard.url}${services}`, { headers: { authorization: `Basic ${password}` } })).status).toBe(401);
  });

  it('believes the trusted header from a trusted proxy address only, whatever X-Forwarded-For says', async () => {
    const asAlice = { 'x-forwarded-user': 'alice' };
    expect((await send(`${dashboard.url}${services}`, { headers: asAlice, from: '127.0.0.2' })).status).toBe(200);
    expect((await send(`${dashboard.url}/`, { headers: asAlice, from: '127.0.0.2' })).status).toBe(200);
    expect((await send(`${dashboard.url}${services}`, { from: '127.0.0.2' })).status).toBe(401);
    expect((await send(`${dashboard.url}${services}`, { headers: { ...asAlice, 'x-forwarded-for': '127.0.0.2' }, from: '127.0.0.1' })).status).toBe(401);
  });

  it('puts the security headers on pages, APIs and its own answers, and the CSP nonce on the page scripts', async () => {
    const cookie = sessionOf(await signIn(dashboard.url, password));
    const answers = await Promise.all([
      send(`${dashboard.url}/`, { headers: { cookie } }),
      send(`${dashboard.url}${services}`, { headers: { cookie } }),
      send(`${dashboard.url}/api/health`),
      send(`${dashboard.url}/login`),
      send(`${dashboard.url}/api/logs`),
    ]);
    for (const answer of answers) {
      expect(answer.headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-[\w+/=]+' 'strict-dynamic'/);
      expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(answer.headers['content-security-policy']).not.toContain('unsafe-inline');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['x-frame-options']).toBe('DENY');
      expect(answer.headers['referrer-policy']).toBe('same-origin');
    }
    const page = answers[0]!;
    const nonce = /'nonce-([^']+)'/.exec(page.headers['content-security-policy'] as string)![1]!;
    const scripts = page.body.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
    // A nonce is never reused, nor chosen by the client.
    const again = await send(`${dashboard.url}/`, { headers: { cookie, 'content-security-policy': "script-src 'nonce-mine'" } });
    expect(again.headers['content-security-policy']).not.toContain(nonce);
    expect(again.body).not.toContain('nonce="mine"');
  });
});

describe('a dashboard beyond loopback', () => {
  it('refuses to start with no sign-in, naming the three settings, and starts with FAULTLINE_UI_AUTH=none', async () => {
    await expect(startDashboard({ host: '0.0.0.0', port: 0, auth: { none: false } })).rejects.toThrow(
      /FAULTLINE_UI_PASSWORD.*FAULTLINE_UI_TRUSTED_HEADER.*FAULTLINE_UI_AUTH=none/s,
    );
    const open = await startDashboard({ host: '0.0.0.0', port: 0, auth: { none: true } });
    try {
      const answer = await send(`${open.url.replace('localhost', '127.0.0.1')}${services}`);
      expect(answer.status).toBe(200);
      expect(answer.headers['x-frame-options']).toBe('DENY');
    } finally {
      await open.close();
    }
  });
});
