import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { Store } from '@/lib/clickhouse/store';
import { NotFoundError } from '@/lib/errors';
import { hostStore } from '@/lib/host';
import { timeRangeFields } from '@/lib/input';
import { jsonRoute } from './handle';

// The routes under test never reach the store: these check the handler's answers around them.
const unusedStore = { client: {}, database: 'faultline', kind: 'chdb' } as unknown as Store;
const context = (params: Record<string, string> = {}) => ({ params: Promise.resolve(params) });
const get = (url: string) => new Request(`http://localhost${url}`);

afterEach(() => {
  hostStore(undefined);
  vi.restoreAllMocks();
});

describe('jsonRoute', () => {
  const route = jsonRoute(z.object({ ...timeRangeFields, service: z.string() }), async (_store, input) => ({ echo: input }));

  it('answers the query module’s result as JSON, path parameters included', async () => {
    hostStore(unusedStore);
    const response = await route(get('/api/x?from=1&to=2'), context({ service: 'payment' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ echo: { from: 1, to: 2, service: 'payment' } });
  });

  it('refuses a bad parameter with 400 and a message naming it', async () => {
    const response = await route(get('/api/x?from=1&to=yesterday'), context({ service: 'payment' }));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: 'FAULTLINE_ERR_BAD_PARAMETER', message: 'to: must be a time in milliseconds since the epoch' },
    });
  });

  it('answers a known error with its status and code', async () => {
    hostStore(unusedStore);
    const missing = jsonRoute(z.object({}), async () => {
      throw new NotFoundError('trace abc is not in the store (or has expired)');
    });
    const response = await missing(get('/api/traces/abc'), context());
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'FAULTLINE_ERR_NOT_FOUND', message: 'trace abc is not in the store (or has expired)' } });
  });

  it('hides an unexpected failure behind a 500 and logs it', async () => {
    hostStore(unusedStore);
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const broken = jsonRoute(z.object({}), async () => {
      throw new Error('Code: 62. Syntax error');
    });
    const response = await broken(get('/api/x'), context());
    expect(response.status).toBe(500);
    expect((await response.json()).error.code).toBe('FAULTLINE_ERR_INTERNAL');
    expect(log).toHaveBeenCalled();
  });

  it('says how to start the dashboard when no store is open in the process', async () => {
    const response = await jsonRoute(z.object({}), async () => 'unreachable')(get('/api/x'), context());
    expect(response.status).toBe(503);
    expect((await response.json()).error.message).toMatch(/npm start/);
  });
});
