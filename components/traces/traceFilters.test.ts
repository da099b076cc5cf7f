import { describe, expect, it } from 'vitest';
import { filterChanges, filterParams, readFilters, traceSearchHref } from './traceFilters';

describe('trace filters in the URL', () => {
  it('reads every filter, repeated attributes included', () => {
    const filters = readFilters(new URLSearchParams('service=payment&minDurationMs=250&attr=a%3D1&attr=b%3D2&status=error'));
    expect(filters).toEqual({
      service: 'payment',
      operation: '',
      minDurationMs: '250',
      maxDurationMs: '',
      status: 'error',
      attr: ['a=1', 'b=2'],
      traceId: '',
    });
  });

  it('clears emptied filters from the URL', () => {
    const changes = filterChanges({ ...readFilters(new URLSearchParams('')), service: ' order ', attr: ['', 'x=y'] });
    expect(changes).toMatchObject({ service: 'order', operation: null, attr: ['x=y'] });
  });

  it('sends only the filters that are set to the API', () => {
    expect(filterParams(readFilters(new URLSearchParams('service=a&traceId=')))).toEqual({ service: 'a' });
  });

  it('builds links that keep the time range', () => {
    expect(traceSearchHref({ service: 'payment', attr: ['resilience.fallback.used=true'] }, '?range=15m')).toBe(
      '/traces?range=15m&service=payment&attr=resilience.fallback.used%3Dtrue',
    );
  });
});
