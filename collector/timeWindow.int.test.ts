import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { LoggerProvider, BatchLogRecordProcessor, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { OTLPLogExporter as OTLPLogExporterJson } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OTLPLogExporterProto } from '@opentelemetry/exporter-logs-otlp-proto';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter as OTLPTraceExporterJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPTraceExporterProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { startTestFaultline, type TestFaultline } from '../tests/support/faultline';

let faultline: TestFaultline;

beforeAll(async () => {
  faultline = await startTestFaultline();
});
afterAll(async () => {
  await faultline.stop();
});

/** The SDK exporters report a partial success only as a diagnostic warning: collect those. */
const warnings: string[] = [];
afterEach(() => {
  diag.disable();
  warnings.length = 0;
});
function collectWarnings() {
  const ignore = () => {};
  diag.setLogger({ error: ignore, info: ignore, debug: ignore, verbose: ignore, warn: (...args: unknown[]) => warnings.push(args.join(' ')) }, DiagLogLevel.WARN);
}

// The OTLP specification's example times (opentelemetry-proto examples/trace.json): December 2018.
const exampleStartMs = 1_544_712_660_000;
const dayMs = 86_400_000;

async function count(table: string, service: string): Promise<number> {
  const [row] = await faultline.query<{ n: string }>(`SELECT count() AS n FROM faultline.${table} WHERE ServiceName = {service:String}`, { service });
  return Number(row!.n);
}

function post(path: string, body: string, contentType = 'application/json') {
  return fetch(`${faultline.otlpEndpoint}${path}`, { method: 'POST', headers: { 'Content-Type': contentType }, body });
}

const exporters: [string, (url: string) => SpanExporter, (url: string) => LogRecordExporter][] = [
  ['protobuf', (url) => new OTLPTraceExporterProto({ url }), (url) => new OTLPLogExporterProto({ url })],
  ['JSON', (url) => new OTLPTraceExporterJson({ url }), (url) => new OTLPLogExporterJson({ url })],
];

describe.each(exporters)('the official OTLP/HTTP %s exporters', (encoding, traceExporter, logExporter) => {
  it('get a span from 2018 and one a week ahead refused, naming the retention setting, and the fresh one beside them stored', async () => {
    const service = `window-traces-${encoding}`;
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': service }),
      spanProcessors: [new BatchSpanProcessor(traceExporter(`${faultline.otlpEndpoint}/v1/traces`))],
    });
    const tracer = provider.getTracer('window');
    tracer.startSpan('from 2018', { startTime: exampleStartMs }).end(exampleStartMs + 1000);
    tracer.startSpan('fresh').end();
    tracer.startSpan('from next week', { startTime: Date.now() + 7 * dayMs }).end(Date.now() + 7 * dayMs + 1000);
    collectWarnings();
    await provider.shutdown();

    const [stored] = await faultline.query<{ names: string[] }>('SELECT groupArray(SpanName) AS names FROM faultline.otel_traces WHERE ServiceName = {service:String}', { service });
    expect(stored!.names).toEqual(['fresh']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('Partial Success');
    expect(warnings[0]).toContain('1 spans older than the retention window (FAULTLINE_RETENTION_DAYS=7');
    expect(warnings[0]).toContain('1 spans more than 1 day ahead of the collector');
  });

  it('get a log record from 2018 refused and the fresh one stored', async () => {
    const service = `window-logs-${encoding}`;
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': service }),
      processors: [new BatchLogRecordProcessor({ exporter: logExporter(`${faultline.otlpEndpoint}/v1/logs`) })],
    });
    const logger = provider.getLogger('window');
    logger.emit({ timestamp: exampleStartMs, body: 'from 2018' });
    logger.emit({ body: 'fresh' });
    collectWarnings();
    await provider.shutdown();

    const [stored] = await faultline.query<{ bodies: string[] }>('SELECT groupArray(Body) AS bodies FROM faultline.otel_logs WHERE ServiceName = {service:String}', { service });
    expect(stored!.bodies).toEqual(['fresh']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('1 log records older than the retention window (FAULTLINE_RETENTION_DAYS=7');
  });
});

describe('OTLP/JSON bodies with times outside the retention window', () => {
  it("answer the specification's own example trace (2018) with a partial success naming FAULTLINE_RETENTION_DAYS, not 200 {}", async () => {
    const example = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'my.service' } }] },
          scopeSpans: [
            {
              scope: { name: 'my.library', version: '1.0.0', attributes: [{ key: 'my.scope.attribute', value: { stringValue: 'some scope attribute' } }] },
              spans: [
                {
                  traceId: '5B8EFFF798038103D269B633813FC60C',
                  spanId: 'EEE19B7EC3C1B174',
                  parentSpanId: 'EEE19B7EC3C1B173',
                  name: "I'm a server span",
                  startTimeUnixNano: '1544712660000000000',
                  endTimeUnixNano: '1544712661000000000',
                  kind: 2,
                  attributes: [{ key: 'my.span.attr', value: { stringValue: 'some value' } }],
                },
              ],
            },
          ],
        },
      ],
    };
    const response = await post('/v1/traces', JSON.stringify(example));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    expect(body.partialSuccess.rejectedSpans).toBe('1');
    expect(body.partialSuccess.errorMessage).toMatch(/^1 spans older than the retention window \(FAULTLINE_RETENTION_DAYS=7: before \d{4}-\d\d-\d\dT[\d:.]+Z\)/);
    expect(await count('otel_traces', 'my.service')).toBe(0);
  });

  it('refuse a data point from 2018 and one two days ahead, and store the fresh one', async () => {
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    const point = (timeUnixNano: bigint, asDouble: number) => ({ timeUnixNano: String(timeUnixNano), asDouble });
    const body = {
      resourceMetrics: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'window-metrics' } }] },
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'queue.depth',
                  gauge: { dataPoints: [point(BigInt(exampleStartMs) * 1_000_000n, 1), point(nowNs, 2), point(nowNs + 2n * BigInt(dayMs) * 1_000_000n, 3)] },
                },
              ],
            },
          ],
        },
      ],
    };
    const response = await post('/v1/metrics', JSON.stringify(body));
    const answer = (await response.json()) as { partialSuccess: { rejectedDataPoints: string; errorMessage: string } };
    expect(answer.partialSuccess.rejectedDataPoints).toBe('2');
    expect(answer.partialSuccess.errorMessage).toContain('1 data points older than the retention window (FAULTLINE_RETENTION_DAYS=7');
    expect(answer.partialSuccess.errorMessage).toContain('1 data points more than 1 day ahead');
    const values = await faultline.query<{ Value: number }>("SELECT Value FROM faultline.otel_metrics_gauge WHERE ServiceName = 'window-metrics'");
    expect(values).toEqual([{ Value: 2 }]);
  });

  it('refuse a JSON log line from 2018 and keep the fresh and the undated ones', async () => {
    const lines = [
      { time: exampleStartMs, msg: 'from 2018', service: 'window-lines' },
      { time: Date.now(), msg: 'fresh', service: 'window-lines' },
      { msg: 'undated', service: 'window-lines' },
    ];
    const response = await post('/v1/logs/json', lines.map((line) => JSON.stringify(line)).join('\n'), 'application/x-ndjson');
    const answer = (await response.json()) as { partialSuccess: { rejectedLogRecords: string; errorMessage: string } };
    expect(answer.partialSuccess.rejectedLogRecords).toBe('1');
    expect(answer.partialSuccess.errorMessage).toContain('1 log records older than the retention window (FAULTLINE_RETENTION_DAYS=7');
    const bodies = await faultline.query<{ Body: string }>("SELECT Body FROM faultline.otel_logs WHERE ServiceName = 'window-lines' ORDER BY Body");
    expect(bodies).toEqual([{ Body: 'fresh' }, { Body: 'undated' }]);
  });
});
