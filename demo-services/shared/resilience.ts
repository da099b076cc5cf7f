/**
 * The one resilience helper every demo service guards its synchronous
 * dependencies with: cockatiel's bulkhead → retry → circuit breaker → timeout,
 * plus an optional fallback, and the `resilience.*` telemetry that makes each
 * decision visible (docs/resilience-telemetry.md is the contract).
 *
 * A guarded call gets one INTERNAL span named `<dependency> <operation>`; the
 * real outbound spans (HTTP client, provider client) are its children.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  SpanKind,
  SpanStatusCode,
  context,
  createContextKey,
  trace,
  type Attributes,
  type Counter,
  type Meter,
  type ObservableGauge,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import {
  BrokenCircuitError,
  BulkheadRejectedError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  IsolatedCircuitError,
  TaskCancelledError,
  TimeoutStrategy,
  bulkhead,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  type BulkheadPolicy,
  type CircuitBreakerPolicy,
  type RetryPolicy,
  type TimeoutPolicy,
} from 'cockatiel';
import { AppError, DependencyError, DependencyUnavailableError } from './errors';
import type { Logger } from './logger';

export type BreakerState = 'closed' | 'half_open' | 'open';
export type CallOutcome = 'success' | 'failure' | 'rejected' | 'timeout';

export const BREAKER_STATE_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };
export const STATE_CHANGE_EVENT = 'resilience.circuit_breaker.state_change';

// Which attempt of a guarded call is running, for the HTTP client span it makes (`resendCountAttributes`).
const attemptKey = createContextKey('resilience.retry.attempt');

/** `http.request.resend_count` for an outgoing HTTP request made by a retry (the semantic conventions set it only then). */
export function resendCountAttributes(): Attributes {
  const attempt = context.active().getValue(attemptKey);
  return typeof attempt === 'number' && attempt > 0 ? { 'http.request.resend_count': attempt } : {};
}

export interface GuardConfig {
  /** The calling service, e.g. `payment`. */
  service: string;
  /** The dependency as `peer.service`, e.g. `payment-provider`. */
  dependency: string;
  timeoutMs: number;
  /** Applied only to calls marked idempotent, and only on transient failures. */
  retry?: { maxRetries: number; initialDelayMs: number; maxDelayMs: number };
  breaker: { consecutiveFailures: number; halfOpenAfterMs: number };
  bulkhead?: { limit: number; queue: number };
}

/**
 * Policies that replace the guard's own for one call: how the demo's misconfiguration flags show a
 * timeout set too short, or retries with no backoff that no breaker stops.
 */
export interface PolicyOverride {
  timeoutMs?: number;
  retry?: GuardConfig['retry'];
  /** `false`: the attempts don't go through the circuit breaker. */
  breaker?: false;
}

export interface CallOptions<T> {
  operation: string;
  idempotent: boolean;
  /** Answer to give when the dependency is unavailable (never for a 4xx: that is the caller's problem). */
  fallback?: (error: Error) => T | Promise<T>;
  override?: PolicyOverride;
}

/** The policies one call runs through, and their configuration for its span. */
interface Policies {
  timeoutMs: number;
  timeout: TimeoutPolicy;
  retryConfig?: GuardConfig['retry'];
  retry?: RetryPolicy;
  breaker?: CircuitBreakerPolicy;
}

export interface GuardDeps {
  tracer: Tracer;
  meter: Meter;
  logger: Logger;
}

interface Instruments {
  calls: Counter;
  retries: Counter;
  bulkheadRejections: Counter;
  timeouts: Counter;
  fallbacks: Counter;
  state: ObservableGauge;
}

const instrumentsByMeter = new WeakMap<Meter, Instruments>();

// The guarded call running in this async context, so a transition lands on the call that caused it.
// One store for all guards: every live AsyncLocalStorage adds work to each promise the process creates.
const runningCall = new AsyncLocalStorage<{ guard: GuardedDependency; span: Span }>();

function instrumentsFor(meter: Meter): Instruments {
  let instruments = instrumentsByMeter.get(meter);
  if (!instruments) {
    instruments = {
      calls: meter.createCounter('resilience.circuit_breaker.calls', {
        description: 'Calls through a circuit breaker by outcome (success, failure, rejected, timeout).',
        unit: '{call}',
      }),
      retries: meter.createCounter('resilience.retry.attempts', {
        description: 'Retries made after a transient failure (first attempts are not counted).',
        unit: '{attempt}',
      }),
      bulkheadRejections: meter.createCounter('resilience.bulkhead.rejections', {
        description: 'Calls refused because the bulkhead and its queue were full.',
        unit: '{call}',
      }),
      timeouts: meter.createCounter('resilience.timeout.count', {
        description: 'Attempts cancelled by the timeout policy.',
        unit: '{call}',
      }),
      fallbacks: meter.createCounter('resilience.fallback.count', {
        description: 'Calls answered by a fallback instead of the dependency.',
        unit: '{call}',
      }),
      state: meter.createObservableGauge('resilience.circuit_breaker.state', {
        description: 'Circuit breaker state: 0 closed, 1 half-open, 2 open.',
        unit: '1',
      }),
    };
    instrumentsByMeter.set(meter, instruments);
  }
  return instruments;
}

function toBreakerState(state: CircuitState): BreakerState {
  if (state === CircuitState.Closed) return 'closed';
  if (state === CircuitState.HalfOpen) return 'half_open';
  return 'open';
}

/** Failures that say the dependency is unwell; a 4xx says the request was. */
function isDependencyFailure(error: Error): boolean {
  return error instanceof TaskCancelledError || (error instanceof AppError && error.status >= 500);
}

function isTransient(error: Error): boolean {
  if (error instanceof DependencyError) return error.transient;
  return error instanceof TaskCancelledError || (error instanceof AppError && error.status === 503);
}

function outcomeOf(error: unknown): CallOutcome {
  if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) return 'rejected';
  if (error instanceof TaskCancelledError) return 'timeout';
  return error instanceof Error && isDependencyFailure(error) ? 'failure' : 'success';
}

export class GuardedDependency {
  readonly name: string;
  private readonly attributes: Attributes;
  private readonly instruments: Instruments;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly policies: Policies;
  private readonly bulkhead?: BulkheadPolicy;
  private currentState: BreakerState = 'closed';

  constructor(
    private readonly config: GuardConfig,
    private readonly deps: GuardDeps,
  ) {
    this.name = `${config.service}->${config.dependency}`;
    this.attributes = { 'resilience.policy.name': this.name, 'peer.service': config.dependency };
    this.instruments = instrumentsFor(deps.meter);
    this.instruments.state.addCallback((result) => result.observe(BREAKER_STATE_VALUE[this.currentState], this.attributes));

    this.breaker = circuitBreaker(handleWhen(isDependencyFailure), {
      halfOpenAfter: config.breaker.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(config.breaker.consecutiveFailures),
    });
    this.breaker.onStateChange((state) => this.recordTransition(toBreakerState(state)));
    this.policies = this.buildPolicies(config.timeoutMs, config.retry, this.breaker);
    if (config.bulkhead) {
      this.bulkhead = bulkhead(config.bulkhead.limit, config.bulkhead.queue);
      this.bulkhead.onReject(() => this.instruments.bulkheadRejections.add(1, this.attributes));
    }
  }

  private buildPolicies(timeoutMs: number, retryConfig: GuardConfig['retry'], breaker: CircuitBreakerPolicy | undefined): Policies {
    const policies: Policies = { timeoutMs, timeout: timeout(timeoutMs, TimeoutStrategy.Aggressive), retryConfig, breaker };
    if (retryConfig) {
      policies.retry = retry(handleWhen(isTransient), {
        maxAttempts: retryConfig.maxRetries,
        // Decorrelated jitter (cockatiel's default generator) spreads retries of many callers apart; an initial delay of 0 is no backoff.
        backoff: new ExponentialBackoff({ initialDelay: retryConfig.initialDelayMs, maxDelay: retryConfig.maxDelayMs }),
      });
      policies.retry.onRetry(() => this.instruments.retries.add(1, this.attributes));
    }
    return policies;
  }

  private policiesFor(override: PolicyOverride | undefined): Policies {
    if (!override) return this.policies;
    return this.buildPolicies(
      override.timeoutMs ?? this.config.timeoutMs,
      override.retry ?? this.config.retry,
      override.breaker === false ? undefined : this.breaker,
    );
  }

  get state(): BreakerState {
    return this.currentState;
  }

  async call<T>(options: CallOptions<T>, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const policies = this.policiesFor(options.override);
    const span = this.deps.tracer.startSpan(`${this.config.dependency} ${options.operation}`, {
      kind: SpanKind.INTERNAL,
      attributes: {
        'peer.service': this.config.dependency,
        ...(policies.breaker && { 'resilience.circuit_breaker.name': this.name }),
        ...this.configuredAttributes(policies, options.idempotent),
      },
    });
    const spanContext = trace.setSpan(context.active(), span);
    return context.with(spanContext, () =>
      runningCall.run({ guard: this, span }, async () => {
        try {
          const value = await this.guarded(policies, options.idempotent, span, fn);
          span.setAttribute('resilience.fallback.used', false);
          return value;
        } catch (caught) {
          const error = this.translate(caught, policies.timeoutMs);
          const fail = (reason: Error) => {
            span.setAttribute('resilience.fallback.used', false);
            span.recordException(reason);
            span.setStatus({ code: SpanStatusCode.ERROR, message: reason.message });
            return reason;
          };
          if (!options.fallback || (error instanceof AppError && error.status < 500)) throw fail(error);
          // A fallback may itself have nothing to give (an empty cache): then the call failed.
          const value = await Promise.resolve()
            .then(() => options.fallback!(error))
            .catch((fallbackError: unknown) => {
              throw fail(fallbackError instanceof Error ? fallbackError : new Error(String(fallbackError)));
            });
          this.instruments.fallbacks.add(1, this.attributes);
          span.setAttribute('resilience.fallback.used', true);
          span.addEvent('resilience.fallback', { 'exception.message': error.message });
          return value;
        } finally {
          span.end();
        }
      }),
    );
  }

  /** What the policies are configured to do, beside what they did, so a reader can tell a misconfiguration from bad luck. */
  private configuredAttributes({ timeoutMs, retryConfig, breaker }: Policies, idempotent: boolean): Attributes {
    const bulkheadConfig = this.config.bulkhead;
    return {
      'resilience.timeout.ms': timeoutMs,
      'resilience.retry.max_attempts': idempotent && retryConfig ? retryConfig.maxRetries + 1 : 1,
      ...(breaker && {
        'resilience.circuit_breaker.failure_threshold': this.config.breaker.consecutiveFailures,
        'resilience.circuit_breaker.half_open_after_ms': this.config.breaker.halfOpenAfterMs,
      }),
      'resilience.idempotent': idempotent,
      ...(bulkheadConfig && { 'resilience.bulkhead.limit': bulkheadConfig.limit, 'resilience.bulkhead.queue': bulkheadConfig.queue }),
    };
  }

  private guarded<T>(policies: Policies, idempotent: boolean, span: Span, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const retryPolicy = idempotent ? policies.retry : undefined;
    const arrived = performance.now();
    const attempts = () => {
      if (this.bulkhead) span.setAttribute('resilience.bulkhead.queue_wait_ms', Math.round(performance.now() - arrived));
      if (!retryPolicy) return this.attempt(policies, span, 0, fn);
      return retryPolicy.execute(({ attempt }) => this.attempt(policies, span, attempt, fn));
    };
    return this.bulkhead ? this.bulkhead.execute(attempts) : attempts();
  }

  private async attempt<T>(policies: Policies, span: Span, attempt: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    span.setAttribute('resilience.retry.attempt', attempt);
    let admittedIn: BreakerState = 'open';
    const timed = () =>
      policies.timeout.execute((_context, signal) =>
        context.with(context.active().setValue(attemptKey, attempt), () => fn(signal)).catch((error: unknown) => {
          // The dependency's own abort error would hide that the timeout caused it.
          throw signal.aborted ? new TaskCancelledError(`Timed out after ${policies.timeoutMs} ms`) : error;
        }),
      );
    const { breaker } = policies;
    try {
      const value = await (breaker
        ? breaker.execute(() => {
            // Admitted while cockatiel still reads Open means this call is the half-open trial.
            admittedIn = breaker.state === CircuitState.Closed ? 'closed' : 'half_open';
            return timed();
          })
        : timed());
      if (breaker) this.instruments.calls.add(1, { ...this.attributes, outcome: 'success' });
      return value;
    } catch (error) {
      const outcome = outcomeOf(error);
      if (breaker) this.instruments.calls.add(1, { ...this.attributes, outcome });
      if (outcome === 'timeout') this.instruments.timeouts.add(1, this.attributes);
      throw error;
    } finally {
      if (breaker) span.setAttribute('resilience.circuit_breaker.state', admittedIn);
    }
  }

  private translate(error: unknown, timeoutMs: number): Error {
    const dependency = this.config.dependency;
    if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) {
      return new DependencyUnavailableError(
        dependency,
        'circuit_open',
        `${dependency} is unavailable: circuit ${this.name} is open, next trial in at most ${this.config.breaker.halfOpenAfterMs} ms.`,
      );
    }
    if (error instanceof BulkheadRejectedError) {
      return new DependencyUnavailableError(dependency, 'bulkhead_full', `${dependency} is saturated: bulkhead ${this.name} is full.`);
    }
    if (error instanceof TaskCancelledError) {
      return new DependencyUnavailableError(dependency, 'timeout', `${dependency} did not answer within ${timeoutMs} ms.`);
    }
    return error instanceof Error ? error : new Error(String(error));
  }

  private recordTransition(to: BreakerState): void {
    const from = this.currentState;
    if (from === to) return;
    this.currentState = to;
    const attributes = { from, to, 'resilience.circuit_breaker.name': this.name, 'resilience.policy.name': this.name, 'peer.service': this.config.dependency };
    const call = runningCall.getStore();
    const span = call?.guard === this ? call.span : undefined;
    span?.addEvent(STATE_CHANGE_EVENT, attributes);
    const spanContext = span?.spanContext();
    const level = to === 'open' ? 'warn' : 'info';
    this.deps.logger[level](
      {
        event: STATE_CHANGE_EVENT,
        ...attributes,
        ...(spanContext && { trace_id: spanContext.traceId, span_id: spanContext.spanId }),
      },
      STATE_CHANGE_EVENT,
    );
  }
}
