import type { WaterfallSpan } from '@/lib/contract/traces';

/** A span as the trace-by-id answer gives it, for the waterfall's and the comparison's tests. */
export const waterfallSpan = (spanId: string, parentSpanId: string, startMs: number, durationMs: number, more: Partial<WaterfallSpan> = {}): WaterfallSpan => ({
  spanId,
  parentSpanId,
  name: spanId,
  kind: 'Internal',
  service: 'order',
  startMs,
  durationMs,
  statusCode: 'Unset',
  statusMessage: '',
  resilience: {},
  ...more,
});
