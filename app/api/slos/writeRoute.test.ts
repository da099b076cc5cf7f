import { describe, expect, it } from 'vitest';
import { writeRoute } from './writeRoute';

describe('SLO write routes', () => {
  const edits: string[] = [];
  const route = writeRoute(async (request) => {
    edits.push(await request.text());
    return { saved: true };
  });
  const send = (headers: Record<string, string>) =>
    route(new Request('http://127.0.0.1:3000/api/slos', { method: 'POST', headers: { host: '127.0.0.1:3000', ...headers }, body: 'edit' }), {
      params: Promise.resolve({}),
    });

  it('refuse a write sent by a page of another site, naming it, and leave the file alone', async () => {
    for (const origin of ['http://evil.example', 'http://localhost:3000', 'null']) {
      const response = await send({ origin, 'content-type': 'text/plain' });
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ error: { code: 'FAULTLINE_ERR_CROSS_ORIGIN', message: expect.stringContaining(origin) } });
    }
    expect(edits).toEqual([]);
  });

  it('accept a write from the dashboard’s own pages, behind a proxy too, and from clients that send no Origin', async () => {
    expect((await send({ origin: 'http://127.0.0.1:3000' })).status).toBe(200);
    expect((await send({ origin: 'https://faultline.example.org', 'x-forwarded-host': 'faultline.example.org' })).status).toBe(200);
    expect((await send({})).status).toBe(200);
    expect(edits).toEqual(['edit', 'edit', 'edit']);
  });
});
