import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFaultline, type TestFaultline } from '../tests/support/faultline';
import { sessionSigner } from './auth/secrets';
import type { Listening } from './listen';
import { startJaegerQuery } from './jaegerServer';

let faultline: TestFaultline;
beforeAll(async () => {
  faultline = await startTestFaultline();
});
afterAll(async () => {
  await faultline.stop();
});

const password = 'jaeger-test-password';
const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

/** Runs `check` against a Jaeger query API listening on 127.0.0.1 with these settings. */
async function withJaeger(auth: Parameters<typeof startJaegerQuery>[1]['auth'], check: (url: string) => Promise<void>) {
  const jaeger: Listening = await startJaegerQuery(faultline.store, { host: '127.0.0.1', port: 0, auth });
  try {
    await check(jaeger.url);
  } finally {
    await jaeger.close();
  }
}

const services = (url: string, headers: Record<string, string> = {}) => fetch(`${url}/api/services`, { headers });

describe('the Jaeger query API takes the dashboard sign-in', () => {
  it('with FAULTLINE_UI_PASSWORD: Bearer, Basic (any user) or the session cookie; anything else a Jaeger-shaped 401', async () => {
    await withJaeger({ password, none: false }, async (url) => {
      const refused = await services(url);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toBe('Basic realm="Faultline", charset="UTF-8"');
      expect(await refused.json()).toMatchObject({ data: null, errors: [{ code: 401, msg: expect.stringContaining('Bearer') }] });
      for (const wrong of <Record<string, string>[]>[{ authorization: 'Bearer nope' }, { authorization: basic('grafana', 'nope') }, { cookie: 'faultline_session=1.abc' }]) {
        expect((await services(url, wrong)).status).toBe(401);
      }
      const cookie = `faultline_session=${sessionSigner(password).issue(Date.now())}`;
      for (const right of <Record<string, string>[]>[{ authorization: `Bearer ${password}` }, { authorization: basic('grafana', password) }, { cookie }]) {
        const answer = await services(url, right);
        expect(answer.status).toBe(200);
        expect(await answer.json()).toMatchObject({ errors: null });
      }
      // Signing in doesn't open writes.
      expect((await fetch(`${url}/api/services`, { method: 'POST', headers: { authorization: `Bearer ${password}` } })).status).toBe(405);
    });
  });

  it("believes a trusted proxy's user header only from the proxy's address", async () => {
    await withJaeger({ trustedHeader: { name: 'x-forwarded-user', proxies: ['127.0.0.1'] }, none: false }, async (url) => {
      expect((await services(url, { 'x-forwarded-user': 'ada' })).status).toBe(200);
      expect((await services(url)).status).toBe(401);
    });
    await withJaeger({ trustedHeader: { name: 'x-forwarded-user', proxies: ['10.0.0.0/8'] }, none: false }, async (url) => {
      expect((await services(url, { 'x-forwarded-user': 'ada' })).status).toBe(401);
    });
  });

  it('refuses to start beyond loopback with no sign-in, and starts with FAULTLINE_UI_AUTH=none', async () => {
    await expect(startJaegerQuery(faultline.store, { host: '0.0.0.0', port: 0, auth: { none: false } })).rejects.toThrow(
      /The Jaeger query API would listen on 0\.0\.0\.0 with no sign-in.*FAULTLINE_UI_PASSWORD.*FAULTLINE_UI_AUTH=none/s,
    );
    const open = await startJaegerQuery(faultline.store, { host: '0.0.0.0', port: 0, auth: { none: true } });
    try {
      expect((await services(open.url.replace('localhost', '127.0.0.1'))).status).toBe(200);
    } finally {
      await open.close();
    }
  });
});
