import { describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { writtenTables } from '../../clickhouse/tables';
import { tracesJson, tracesProtobuf } from '../../../tests/support/otlpBodies';
import { decodeTracesJson } from '../decode/decodeTracesJson';
import { decodeTracesProtoToRowBinary } from '../decode/decodeTracesProtoToRowBinary';
import { timeWindow } from '../decode/timeWindow';
import { encodeSpanRows } from './encodeSpanRows';
import { RowBinaryWriter } from './rowBinaryWriter';
import { keepRows, spanRowKeys } from './spanRowKeys';
import type { TableChunk } from './tableChunk';

const window = timeWindow(Date.now(), 7);

/** Spans with every column a row can vary in: attributes, events (with attributes), links, non-ASCII text. */
function spans(): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'kéys', 'host.cpu.count': 2 }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('scope', '1.0.0');
  const start = Date.now() - 60_000;
  const root = tracer.startSpan('GET /ünïcode', { kind: SpanKind.SERVER, startTime: start });
  for (let i = 0; i < 6; i++) {
    const span = tracer.startSpan(`call ${i}`, {
      startTime: start + i,
      attributes: { index: i, long: 'x'.repeat(200 * i) },
      links: i % 2 === 1 ? [{ context: root.spanContext(), attributes: { 'link.weight': 0.5 } }] : [],
    });
    if (i % 3 === 0) span.addEvent('retry', { attempt: i }, start + i + 1);
    span.end(start + i + 2);
  }
  root.end(start + 10);
  return memory.getFinishedSpans();
}

function protoChunk(list: ReadableSpan[]): TableChunk {
  const out = new RowBinaryWriter(64);
  const { count } = decodeTracesProtoToRowBinary(tracesProtobuf(list), out, window);
  return { table: writtenTables.traces, rows: Buffer.from(out.finish()), count };
}

function jsonChunk(list: ReadableSpan[]): TableChunk {
  const { rows } = decodeTracesJson(tracesJson(list));
  return { table: writtenTables.traces, rows: Buffer.from(encodeSpanRows(rows).finish()), count: rows.length };
}

describe('spanRowKeys', () => {
  for (const [encoder, encode] of [
    ['the one-pass protobuf decoder', protoChunk],
    ['span rows (JSON, Zipkin)', jsonChunk],
  ] as const) {
    it(`reads each row's bounds, start and ids back from ${encoder}, and keepRows makes the chunk those spans alone encode to`, () => {
      const list = spans();
      const chunk = encode(list);
      const keys = spanRowKeys(chunk);
      expect(keys.map((key) => `${key.traceId}/${key.spanId}`)).toEqual(list.map((span) => `${span.spanContext().traceId}/${span.spanContext().spanId}`));
      expect(keys.map((key) => key.timestamp)).toEqual(list.map((span) => BigInt(span.startTime[0]) * 1_000_000_000n + BigInt(span.startTime[1])));
      expect(keys[0]!.start).toBe(0);
      expect(keys.at(-1)!.end).toBe(chunk.rows.length);
      for (let i = 1; i < keys.length; i++) expect(keys[i]!.start).toBe(keys[i - 1]!.end);

      const odd = keys.filter((_, i) => i % 2 === 1);
      const kept = keepRows(chunk, odd);
      const expected = encode(list.filter((_, i) => i % 2 === 1));
      expect(kept.count).toBe(expected.count);
      expect(kept.rows.equals(expected.rows)).toBe(true);
    });
  }

  it('refuses a chunk that does not hold whole rows', () => {
    const chunk = protoChunk(spans());
    expect(() => spanRowKeys({ ...chunk, rows: chunk.rows.subarray(0, chunk.rows.length - 3) })).toThrow(RangeError);
  });
});
