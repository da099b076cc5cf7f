import { setTimeout as sleep } from 'node:timers/promises';
import { context, diag, DiagLogLevel, trace } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { currentUserId, runWithRequestContext, setCurrentUser } from './requestContext';
import { startTelemetry } from './telemetry';
import { createCapturingLogger } from './testTelemetry';

describe('the request context with telemetry off', () => {
  startTelemetry({ serviceName: 'gateway', serviceVersion: 'test', environment: 'test', endpoint: 'http://127.0.0.1:9', protocol: 'http/protobuf', metricIntervalMs: 60_000, enabled: false });
  const { logger, lines } = createCapturingLogger('gateway');

  const request = (userId: string, delayMs: number) =>
    runWithRequestContext(async () => {
      setCurrentUser(userId);
      await sleep(delayMs);
      logger.info('request completed');
      return currentUserId();
    });

  it('keeps each request’s user across awaits, apart from requests running alongside', async () => {
    expect(await Promise.all([request('u001', 20), request('u002', 5)])).toEqual(['u001', 'u002']);
    expect(lines.map((line) => line.user_id).sort()).toEqual(['u001', 'u002']);
  });

  it('leaves a request span alone once it has ended (its client went away)', () => {
    const problems: string[] = [];
    const record = (message: string) => problems.push(message);
    diag.setLogger({ error: record, warn: record, info: record, debug: () => {}, verbose: () => {} }, DiagLogLevel.INFO);
    const span = new BasicTracerProvider().getTracer('test').startSpan('GET /api/profile');
    span.end();
    runWithRequestContext(() => context.with(trace.setSpan(context.active(), span), () => setCurrentUser('u004')));
    diag.disable();
    expect(problems).toEqual([]);
  });

  it('has no user outside a request', () => {
    setCurrentUser('u003');
    expect(currentUserId()).toBeUndefined();
  });
});
