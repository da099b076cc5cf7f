'use client';

import { ApiError } from '../data/fetchJson';
import { useHealth } from './useHealth';

export function Loading({ what }: { what: string }) {
  return (
    <div className="state loading" role="status">
      Loading {what}…
    </div>
  );
}

export function ErrorState({ error }: { error: unknown }) {
  const code = error instanceof ApiError ? error.code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="state error" role="alert">
      <strong>{error instanceof ApiError && error.status < 500 ? 'This view’s parameters were refused' : 'Something went wrong'}</strong>
      <p>{message}</p>
      {code && <code>{code}</code>}
    </div>
  );
}

/** Shown wherever there is no data: how to point an OpenTelemetry SDK at this Faultline. */
export function EmptyState({ title }: { title: string }) {
  const health = useHealth();
  const host = typeof window === 'undefined' ? 'localhost' : window.location.hostname;
  const endpoint = `http://${host}:${health.data?.otlpPort ?? 4318}`;
  return (
    <div className="state empty" data-testid="empty-state">
      <strong>{title}</strong>
      <p>
        Faultline receives OpenTelemetry data over OTLP/HTTP at <code>{endpoint}</code> (protobuf or JSON, traces, metrics
        and logs). Point any OpenTelemetry SDK at it:
      </p>
      <pre>
        {[
          `OTEL_EXPORTER_OTLP_ENDPOINT=${endpoint}`,
          'OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf',
          'OTEL_SERVICE_NAME=checkout',
          'OTEL_TRACES_EXPORTER=otlp OTEL_METRICS_EXPORTER=otlp OTEL_LOGS_EXPORTER=otlp',
        ].join('\n')}
      </pre>
      <p>
        Or run the demo shop with <code>npm start</code>, which sends live traces within a minute. Circuit breakers appear once
        services report the <code>resilience.circuit_breaker.*</code> metrics (see docs/resilience-telemetry.md).
      </p>
    </div>
  );
}
