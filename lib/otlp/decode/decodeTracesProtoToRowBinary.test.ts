import { describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode, type SpanContext } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { tracesJson, tracesProtobuf } from '../../../tests/support/otlpBodies';
import { decodeTracesJson } from './decodeTracesJson';
import { decodeTracesProtoToRowBinary } from './decodeTracesProtoToRowBinary';
import { encodeSpanRows } from '../rows/encodeSpanRows';
import { RowBinaryWriter } from '../rows/rowBinaryWriter';
import { timeWindow } from './timeWindow';

/** The spans below start in November 2023: kept with retention off. */
const keepAll = timeWindow(Date.now(), 0);

/** Spans of two services with every attribute type, events, links, statuses and a root. */
function variedSpans(): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  for (const service of ['checkout', 'payment']) {
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': service, 'host.cpu.count': 2, 'deployment.environment': 'test' }),
      spanProcessors: [new SimpleSpanProcessor(memory)],
    });
    const tracer = provider.getTracer(`${service}-scope`, '1.2.3');
    const root = tracer.startSpan('GET /checkout', { kind: SpanKind.SERVER, startTime: 1_700_000_000_123 });
    const link = { context: root.spanContext(), attributes: { 'link.reason': 'follows', 'link.weight': 0.5 } };
    for (let i = 0; i < 4; i++) {
      const span = tracer.startSpan(`call ${i}`, {
        kind: i % 2 === 0 ? SpanKind.CLIENT : SpanKind.INTERNAL,
        startTime: 1_700_000_000_200 + i,
        links: i === 1 ? [link] : [],
        attributes: { 'peer.service': 'provider', 'http.status_code': 502, 'retry.ratio': 0.25, 'cache.hit': false, 'order.items': ['book', 'pen'], 'naïve.clé': 'ünïcödé' },
      });
      if (i > 1) span.addEvent('resilience.circuit_breaker.state_change', { from: 'closed', to: 'open', attempt: i }, 1_700_000_000_210);
      if (i === 3) span.addEvent('second', {}, 1_700_000_000_211);
      span.setStatus(i === 2 ? { code: SpanStatusCode.ERROR, message: 'provider returned 502' } : { code: SpanStatusCode.OK });
      span.end(i === 0 ? 1_700_000_000_100 : 1_700_000_000_300 + i);
    }
    root.end(1_700_000_000_500);
  }
  return memory.getFinishedSpans();
}

function withContext(span: ReadableSpan, context: Partial<SpanContext>): ReadableSpan {
  const spanContext = { ...span.spanContext(), ...context };
  return Object.assign(Object.create(span) as ReadableSpan, { spanContext: () => spanContext });
}

describe('decodeTracesProtoToRowBinary', () => {
  it('writes the same rows as the OTLP/JSON path for the same spans', () => {
    const spans = variedSpans();
    const fromProto = new RowBinaryWriter(16);
    const result = decodeTracesProtoToRowBinary(tracesProtobuf(spans), fromProto, keepAll);
    const fromJson = encodeSpanRows(decodeTracesJson(tracesJson(spans)).rows);
    expect(result).toEqual({ count: spans.length, refused: { invalid: 0, tooOld: 0, tooNew: 0 } });
    expect(fromProto.finish().equals(fromJson.finish())).toBe(true);
  });

  it('rejects a span with an all-zero trace id and keeps the others', () => {
    const [first, ...rest] = variedSpans();
    const out = new RowBinaryWriter();
    const result = decodeTracesProtoToRowBinary(tracesProtobuf([withContext(first!, { traceId: '0'.repeat(32) }), ...rest]), out, keepAll);
    expect(result).toEqual({ count: rest.length, refused: { invalid: 1, tooOld: 0, tooNew: 0, message: expect.stringContaining('trace_id') } });
    expect(out.finish().equals(encodeSpanRows(decodeTracesJson(tracesJson(rest)).rows).finish())).toBe(true);
  });

  it('refuses spans starting before the retention window or over a day ahead, and keeps the others', () => {
    const spans = variedSpans();
    const starts = spans.map((span) => BigInt(span.startTime[0]) * 1_000_000_000n + BigInt(span.startTime[1]));
    const byStart = [...new Set(starts)].sort((a, b) => (a < b ? -1 : 1));
    // With a 1-day retention, "now" a day after the second-earliest start leaves only the earliest too old.
    const nowMs = Number(byStart[1]! / 1_000_000n) + 86_400_000;
    const tooNew = withContext(spans[0]!, {});
    Object.assign(tooNew, { startTime: [Math.floor(nowMs / 1000) + 2 * 86_400, 0] });
    const out = new RowBinaryWriter();
    const result = decodeTracesProtoToRowBinary(tracesProtobuf([...spans, tooNew]), out, timeWindow(nowMs, 1));
    const tooOld = starts.filter((start) => start === byStart[0]).length;
    expect(result).toEqual({ count: spans.length - tooOld, refused: { invalid: 0, tooOld, tooNew: 1 } });
    const kept = spans.filter((_span, i) => starts[i] !== byStart[0]);
    expect(out.finish().equals(encodeSpanRows(decodeTracesJson(tracesJson(kept)).rows).finish())).toBe(true);
  });

  it('throws on a truncated body', () => {
    const body = tracesProtobuf(variedSpans());
    expect(() => decodeTracesProtoToRowBinary(body.subarray(0, body.length - 7), new RowBinaryWriter(), keepAll)).toThrow(/truncated/);
  });
});
