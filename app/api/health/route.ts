import { z } from 'zod';
import { loadConfig } from '@/lib/config';
import type { Health } from '@/lib/contract/health';
import { hostedOtlpPort, readIngestStatus } from '@/lib/host';
import { jsonRoute } from '../_shared/handle';

// Answered at request time, never prerendered: it reports that the store opened.
export const dynamic = 'force-dynamic';

export const GET = jsonRoute(z.object({}), async (store): Promise<Health> => {
  // The collector's bound port when it runs in this process; the configured one when it runs apart.
  return { ok: true, store: store.kind, otlpPort: hostedOtlpPort() ?? loadConfig().otlp.port, ingest: readIngestStatus() ?? null };
});
