/** The trace search and trace view answers (`/api/traces`, `/api/traces/{traceId}`, its spans and logs). */
export type TraceSummary = {
  traceId: string;
  startMs: number;
  durationMs: number;
  rootService: string;
  rootOperation: string;
  spanCount: number;
  errorCount: number;
  services: string[];
};

export type SpanOutline = {
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: string;
  service: string;
  startMs: number;
  durationMs: number;
  statusCode: string;
  statusMessage: string;
};

export type SpanEvent = { timeMs: number; name: string; attributes: Record<string, string> };

export type SpanLink = { traceId: string; spanId: string; attributes: Record<string, string> };

export type Span = SpanOutline & {
  attributes: Record<string, string>;
  resource: Record<string, string>;
  scope: { name: string; version: string };
  events: SpanEvent[];
  links: SpanLink[];
};

/** A span as the waterfall draws it: its outline and its `resilience.*` attributes (with `http.request.resend_count`), which the overlays read. */
export type WaterfallSpan = SpanOutline & { resilience: Record<string, string> };

export type Trace = { traceId: string; spans: WaterfallSpan[]; truncated: boolean };

/** A trace with every span in full, as the Jaeger query API translates it. */
export type TraceInFull = { traceId: string; spans: Span[]; truncated: boolean };

export type LogRecord = {
  timeMs: number;
  service: string;
  severityText: string;
  severityNumber: number;
  body: string;
  spanId: string;
  eventName: string;
  attributes: Record<string, string>;
};
