import { z } from 'zod';
import { loadConfig } from '@/lib/config';
import { jsonRoute } from '../_shared/handle';

// Answered at request time, never prerendered: it reports that the store opened.
export const dynamic = 'force-dynamic';

export const GET = jsonRoute(z.object({}), async (store) => {
  const { otlp } = loadConfig();
  return { ok: true, store: store.kind, otlpPort: otlp.port };
});
