import { describe, expect, it } from 'vitest';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToString } from 'react-dom/server';
import type { Health, IngestStatus } from '@/lib/contract/health';
import { queryKeys } from '../data/queryKeys';
import { IngestBanner } from './IngestBanner';

/** The banner as rendered with this answer from /api/health already fetched. */
function render(ingest: IngestStatus | null): string {
  const client = new QueryClient();
  client.setQueryData<Health>(queryKeys.health(), { ok: true, store: 'chdb', otlpPort: 4318, ingest });
  return renderToString(
    <QueryClientProvider client={client}>
      <IngestBanner />
    </QueryClientProvider>,
  );
}

describe('IngestBanner', () => {
  it('says ingestion is failing, and why, while the last insert failed', () => {
    const html = render({ failing: true, lastCommitAt: 1_000, lastFailure: { at: 2_000, code: 'FAULTLINE_ERR_STORE_FULL' } });
    expect(html).toContain('role="alert"');
    expect(html).toContain('Ingestion is failing.');
    expect(html).toContain('the store’s disk is full');
  });

  it('shows nothing once an insert succeeded again, or when the collector runs elsewhere', () => {
    expect(render({ failing: false, lastCommitAt: 3_000, lastFailure: { at: 2_000, code: 'FAULTLINE_ERR_STORE_UNAVAILABLE' } })).toBe('');
    expect(render(null)).toBe('');
  });
});
