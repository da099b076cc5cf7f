import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { DependencyError, DependencyUnavailableError, InvalidRequestError } from './errors';
import { GuardedDependency, STATE_CHANGE_EVENT, resendCountAttributes, type GuardConfig } from './resilience';
import { createTestTelemetry } from './testTelemetry';

type TestTelemetry = ReturnType<typeof createTestTelemetry>;

const transientFailure = () => new DependencyError('provider', 'provider answered 503', true, 503);
const fail = (error: Error) => async (): Promise<never> => {
  throw error;
};

function waitMs(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('GuardedDependency', () => {
  let telemetry: TestTelemetry;
  const config: GuardConfig = {
    service: 'payment',
    dependency: 'payment-provider',
    timeoutMs: 200,
    breaker: { consecutiveFailures: 3, halfOpenAfterMs: 100 },
  };

  beforeEach(() => {
    telemetry = createTestTelemetry('payment');
  });
  afterEach(async () => {
    await telemetry.shutdown();
  });

  async function valueOf(metric: string, attributes: Record<string, string> = {}) {
    const points = await telemetry.readMetric(metric);
    const match = points.filter((point) => Object.entries(attributes).every(([k, v]) => point.attributes[k] === v));
    return match.reduce((sum, point) => sum + point.value, 0);
  }

  it('opens after consecutive failures and then rejects without calling the dependency', async () => {
    const guard = new GuardedDependency(config, telemetry);
    for (let i = 0; i < 3; i++) {
      await expect(guard.call({ operation: 'charge', idempotent: false }, fail(transientFailure()))).rejects.toThrow(DependencyError);
    }
    expect(guard.state).toBe('open');

    let called = false;
    const started = performance.now();
    const rejection = await guard
      .call({ operation: 'charge', idempotent: false }, async () => {
        called = true;
      })
      .catch((error: unknown) => error);
    expect(rejection).toBeInstanceOf(DependencyUnavailableError);
    expect((rejection as DependencyUnavailableError).reason).toBe('circuit_open');
    expect(called).toBe(false);
    expect(performance.now() - started).toBeLessThan(50);
    expect(await valueOf('resilience.circuit_breaker.calls', { outcome: 'failure' })).toBe(3);
    expect(await valueOf('resilience.circuit_breaker.calls', { outcome: 'rejected' })).toBe(1);
  });

  it('reports the open state as gauge value 2 with the policy name and peer service', async () => {
    const guard = new GuardedDependency(config, telemetry);
    expect(await valueOf('resilience.circuit_breaker.state')).toBe(0);
    for (let i = 0; i < 3; i++) await guard.call({ operation: 'charge', idempotent: false }, fail(transientFailure())).catch(() => {});
    const [point] = await telemetry.readMetric('resilience.circuit_breaker.state');
    expect(point?.value).toBe(2);
    expect(point?.attributes).toEqual({ 'resilience.policy.name': 'payment->payment-provider', 'peer.service': 'payment-provider' });
  });

  it('records the transition as a span event and a log record with from and to', async () => {
    const guard = new GuardedDependency(config, telemetry);
    for (let i = 0; i < 3; i++) await guard.call({ operation: 'charge', idempotent: false }, fail(transientFailure())).catch(() => {});

    const tripping = telemetry.spans.getFinishedSpans()[2];
    const event = tripping?.events.find((e) => e.name === STATE_CHANGE_EVENT);
    expect(event?.attributes).toMatchObject({ from: 'closed', to: 'open', 'resilience.circuit_breaker.name': 'payment->payment-provider' });
    expect(tripping?.attributes['resilience.circuit_breaker.state']).toBe('closed');

    const record = telemetry.logRecords.getFinishedLogRecords().find((r) => r.eventName === STATE_CHANGE_EVENT);
    expect(record?.attributes).toMatchObject({ from: 'closed', to: 'open', service_name: 'payment' });
    expect(record?.spanContext?.traceId).toBe(tripping?.spanContext().traceId);
  });

  it('goes half-open after the wait and closes on a successful trial call', async () => {
    const guard = new GuardedDependency(config, telemetry);
    for (let i = 0; i < 3; i++) await guard.call({ operation: 'charge', idempotent: false }, fail(transientFailure())).catch(() => {});
    await waitMs(config.breaker.halfOpenAfterMs + 20);

    await expect(guard.call({ operation: 'charge', idempotent: false }, async () => 'ok')).resolves.toBe('ok');
    expect(guard.state).toBe('closed');
    const trial = telemetry.spans.getFinishedSpans().at(-1);
    expect(trial?.attributes['resilience.circuit_breaker.state']).toBe('half_open');
    const transitions = trial?.events.filter((e) => e.name === STATE_CHANGE_EVENT).map((e) => `${e.attributes?.from}->${e.attributes?.to}`);
    expect(transitions).toEqual(['open->half_open', 'half_open->closed']);
    expect(await valueOf('resilience.circuit_breaker.state')).toBe(0);
  });

  it('does not count a 4xx answer as a breaker failure', async () => {
    const guard = new GuardedDependency(config, telemetry);
    for (let i = 0; i < 5; i++) {
      await expect(guard.call({ operation: 'charge', idempotent: false }, fail(new InvalidRequestError('bad card')))).rejects.toThrow(InvalidRequestError);
    }
    expect(guard.state).toBe('closed');
  });

  describe('retry', () => {
    const retrying: GuardConfig = { ...config, retry: { maxRetries: 3, initialDelayMs: 5, maxDelayMs: 20 }, breaker: { consecutiveFailures: 10, halfOpenAfterMs: 100 } };

    it('retries an idempotent call after transient failures, with the attempt on the span', async () => {
      const guard = new GuardedDependency(retrying, telemetry);
      let calls = 0;
      const value = await guard.call({ operation: 'lookup', idempotent: true }, async () => {
        calls++;
        if (calls < 3) throw transientFailure();
        return 'found';
      });
      expect(value).toBe('found');
      expect(calls).toBe(3);
      expect(await valueOf('resilience.retry.attempts')).toBe(2);
      expect(telemetry.spans.getFinishedSpans()[0]?.attributes['resilience.retry.attempt']).toBe(2);
    });

    it('never retries a call that is not idempotent', async () => {
      const guard = new GuardedDependency(retrying, telemetry);
      let calls = 0;
      await guard
        .call({ operation: 'charge', idempotent: false }, async () => {
          calls++;
          throw transientFailure();
        })
        .catch(() => {});
      expect(calls).toBe(1);
      expect(await valueOf('resilience.retry.attempts')).toBe(0);
    });

    it('never retries a permanent failure', async () => {
      const guard = new GuardedDependency(retrying, telemetry);
      let calls = 0;
      await guard
        .call({ operation: 'lookup', idempotent: true }, async () => {
          calls++;
          throw new DependencyError('provider', 'provider answered 501', false, 501);
        })
        .catch(() => {});
      expect(calls).toBe(1);
    });

    it('spaces retries apart with a backoff', async () => {
      const guard = new GuardedDependency({ ...retrying, retry: { maxRetries: 2, initialDelayMs: 40, maxDelayMs: 200 } }, telemetry);
      const attemptsAt: number[] = [];
      await guard
        .call({ operation: 'lookup', idempotent: true }, async () => {
          attemptsAt.push(performance.now());
          throw transientFailure();
        })
        .catch(() => {});
      expect(attemptsAt).toHaveLength(3);
      // Decorrelated jitter draws each delay from a range that starts above zero.
      expect(attemptsAt[1]! - attemptsAt[0]!).toBeGreaterThan(5);
      expect(attemptsAt[2]! - attemptsAt[1]!).toBeGreaterThan(5);
    });
  });

  it('cancels a slow attempt at the timeout and counts it', async () => {
    const guard = new GuardedDependency({ ...config, timeoutMs: 30 }, telemetry);
    let aborted = false;
    const error = await guard
      .call({ operation: 'charge', idempotent: false }, (signal) => {
        return new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('aborted'));
          });
        });
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect((error as DependencyUnavailableError).reason).toBe('timeout');
    expect(aborted).toBe(true);
    expect(await valueOf('resilience.timeout.count')).toBe(1);
    expect(await valueOf('resilience.circuit_breaker.calls', { outcome: 'timeout' })).toBe(1);
  });

  it('rejects calls beyond the bulkhead limit and its queue', async () => {
    const guard = new GuardedDependency({ ...config, bulkhead: { limit: 1, queue: 1 } }, telemetry);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = guard.call({ operation: 'charge', idempotent: false }, () => held);
    const queued = guard.call({ operation: 'charge', idempotent: false }, async () => 'queued');
    const rejected = await guard.call({ operation: 'charge', idempotent: false }, async () => 'never').catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(DependencyUnavailableError);
    expect((rejected as DependencyUnavailableError).reason).toBe('bulkhead_full');
    release();
    await first;
    await expect(queued).resolves.toBe('queued');
    expect(await valueOf('resilience.bulkhead.rejections')).toBe(1);
  });

  it('puts the configured timeout, attempts, breaker thresholds, bulkhead and idempotency on the guarded call span', async () => {
    const guard = new GuardedDependency(
      { ...config, retry: { maxRetries: 2, initialDelayMs: 5, maxDelayMs: 20 }, bulkhead: { limit: 4, queue: 8 } },
      telemetry,
    );
    await guard.call({ operation: 'lookup', idempotent: true }, async () => 'found');
    await guard.call({ operation: 'charge', idempotent: false }, async () => 'charged');
    const [lookup, charge] = telemetry.spans.getFinishedSpans().map((span) => span.attributes);
    expect(lookup).toMatchObject({
      'resilience.timeout.ms': 200,
      'resilience.retry.max_attempts': 3,
      'resilience.retry.attempt': 0,
      'resilience.circuit_breaker.failure_threshold': 3,
      'resilience.circuit_breaker.half_open_after_ms': 100,
      'resilience.bulkhead.limit': 4,
      'resilience.bulkhead.queue': 8,
      'resilience.idempotent': true,
    });
    // A call that is not idempotent is never retried, whatever the retry policy allows.
    expect(charge).toMatchObject({ 'resilience.retry.max_attempts': 1, 'resilience.idempotent': false });
  });

  describe('a policy override (the demo\'s misconfiguration flags)', () => {
    it('times one call out at its own timeout, and says so on its span', async () => {
      const guard = new GuardedDependency(config, telemetry);
      const error = await guard
        .call({ operation: 'charge', idempotent: false, override: { timeoutMs: 20 } }, () => waitMs(100))
        .catch((e: unknown) => e);
      expect((error as DependencyUnavailableError).reason).toBe('timeout');
      expect((error as Error).message).toContain('20 ms');
      await guard.call({ operation: 'charge', idempotent: false }, () => waitMs(40));
      const [overridden, standard] = telemetry.spans.getFinishedSpans().map((span) => span.attributes['resilience.timeout.ms']);
      expect([overridden, standard]).toEqual([20, 200]);
    });

    it('retries with no backoff past the breaker, which neither stops it nor counts it', async () => {
      const guard = new GuardedDependency(config, telemetry);
      const attemptsAt: number[] = [];
      const storm = { retry: { maxRetries: 9, initialDelayMs: 0, maxDelayMs: 0 }, breaker: false as const };
      await guard
        .call({ operation: 'lookup', idempotent: true, override: storm }, async () => {
          attemptsAt.push(performance.now());
          throw transientFailure();
        })
        .catch(() => {});
      // Ten failures in a row, beyond the breaker's three, and the breaker never saw them.
      expect(attemptsAt).toHaveLength(10);
      expect(attemptsAt[9]! - attemptsAt[0]!).toBeLessThan(100);
      expect(guard.state).toBe('closed');
      expect(await valueOf('resilience.circuit_breaker.calls')).toBe(0);
      const [span] = telemetry.spans.getFinishedSpans().map((finished) => finished.attributes);
      expect(span).toMatchObject({ 'resilience.retry.attempt': 9, 'resilience.retry.max_attempts': 10, 'resilience.timeout.ms': 200 });
      expect(span).not.toHaveProperty('resilience.circuit_breaker.name');
      expect(span).not.toHaveProperty('resilience.circuit_breaker.state');
      expect(span).not.toHaveProperty('resilience.circuit_breaker.failure_threshold');
    });
  });

  it('records how long a call waited in the bulkhead queue', async () => {
    const guard = new GuardedDependency({ ...config, bulkhead: { limit: 1, queue: 1 } }, telemetry);
    const first = guard.call({ operation: 'charge', idempotent: false }, () => waitMs(60));
    const queued = guard.call({ operation: 'charge', idempotent: false }, async () => 'queued');
    await Promise.all([first, queued]);
    const waits = telemetry.spans.getFinishedSpans().map((span) => span.attributes['resilience.bulkhead.queue_wait_ms'] as number);
    expect(waits[0]).toBeLessThan(50);
    expect(waits[1]).toBeGreaterThanOrEqual(50);
  });

  it('tells an outgoing request made by a retry its resend count (http.request.resend_count), and the first attempt none', async () => {
    // Every demo process installs this context manager (telemetry.ts); the attempt rides in its context.
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    onTestFinished(() => context.disable());
    const guard = new GuardedDependency({ ...config, retry: { maxRetries: 3, initialDelayMs: 5, maxDelayMs: 20 }, breaker: { consecutiveFailures: 10, halfOpenAfterMs: 100 } }, telemetry);
    const seen: Record<string, unknown>[] = [];
    await guard.call({ operation: 'lookup', idempotent: true }, async () => {
      seen.push(resendCountAttributes());
      if (seen.length < 3) throw transientFailure();
      return 'found';
    });
    expect(seen).toEqual([{}, { 'http.request.resend_count': 1 }, { 'http.request.resend_count': 2 }]);
    expect(resendCountAttributes()).toEqual({});
  });

  it('answers with the fallback when the dependency is unavailable, and counts it', async () => {
    const guard = new GuardedDependency(config, telemetry);
    const value = await guard.call({ operation: 'profile', idempotent: false, fallback: () => 'cached' }, fail(transientFailure()));
    expect(value).toBe('cached');
    expect(await valueOf('resilience.fallback.count')).toBe(1);
    expect(telemetry.spans.getFinishedSpans()[0]?.attributes['resilience.fallback.used']).toBe(true);
  });

  it('fails the call, uncounted, when the fallback has nothing to give', async () => {
    const guard = new GuardedDependency(config, telemetry);
    const call = guard.call(
      {
        operation: 'profile',
        idempotent: false,
        fallback: () => {
          throw new DependencyUnavailableError('user', 'failed', 'no cached profile');
        },
      },
      fail(transientFailure()),
    );
    await expect(call).rejects.toThrow('no cached profile');
    expect(await valueOf('resilience.fallback.count')).toBe(0);
    expect(telemetry.spans.getFinishedSpans()[0]?.attributes['resilience.fallback.used']).toBe(false);
  });

  it('does not fall back on a 4xx answer', async () => {
    const guard = new GuardedDependency(config, telemetry);
    await expect(
      guard.call({ operation: 'profile', idempotent: false, fallback: () => 'cached' }, fail(new InvalidRequestError('no such field'))),
    ).rejects.toThrow(InvalidRequestError);
    expect(await valueOf('resilience.fallback.count')).toBe(0);
  });
});
