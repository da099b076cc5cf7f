'use client';

import Link from 'next/link';
import { formatMs } from '../../charts/format';
import { ErrorState, Loading } from '../../shell/PageState';
import { useSpan } from '../useTraces';
import { serviceColor } from './serviceColor';
import type { Span, SpanOutline } from '@/lib/contract/traces';

/** The `resilience.*` span attributes of the convention in docs/resilience-telemetry.md, labelled for people. */
const resilienceLabels: [key: string, label: string][] = [
  ['resilience.circuit_breaker.name', 'Circuit breaker'],
  ['resilience.circuit_breaker.state', 'Breaker state'],
  ['resilience.retry.attempt', 'Retry attempt'],
  ['resilience.fallback.used', 'Fallback used'],
];

function Attributes({ title, values }: { title: string; values: Record<string, string> }) {
  const entries = Object.entries(values).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return null;
  return (
    <details open>
      <summary>
        {title} ({entries.length})
      </summary>
      <table className="kv">
        <tbody>
          {entries.map(([key, value]) => (
            <tr key={key}>
              <th>{key}</th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

type Props = { traceId: string; span: SpanOutline; traceStartMs: number; onFocus(): void };

/** The waterfall's outline of the span at once; its attributes, resource, events and links once fetched. */
export function SpanDetail({ traceId, span, traceStartMs, onFocus }: Props) {
  const full = useSpan(traceId, span.spanId);
  return (
    <div className="span-detail" data-testid="span-detail">
      <h3>
        <span className="service-dot" style={{ background: serviceColor(span.service) }} /> {span.service}: {span.name}
      </h3>
      <dl className="facts">
        <dt>Duration</dt>
        <dd>{formatMs(span.durationMs)}</dd>
        <dt>Starts at</dt>
        <dd>+{formatMs(span.startMs - traceStartMs)}</dd>
        <dt>Kind</dt>
        <dd>{span.kind}</dd>
        <dt>Status</dt>
        <dd className={span.statusCode === 'Error' ? 'bad' : ''}>
          {span.statusCode}
          {span.statusMessage && `: ${span.statusMessage}`}
        </dd>
        <dt>Span id</dt>
        <dd className="mono">{span.spanId}</dd>
      </dl>
      <button type="button" onClick={onFocus}>
        Zoom to this span
      </button>
      {full.isPending ? <Loading what="the span's attributes" /> : full.isError ? <ErrorState error={full.error} /> : <SpanContents span={full.data} traceStartMs={traceStartMs} />}
    </div>
  );
}

function SpanContents({ span, traceStartMs }: { span: Span; traceStartMs: number }) {
  const resilience = resilienceLabels.filter(([key]) => span.attributes[key] !== undefined);
  const otherResilience = Object.keys(span.attributes).filter((key) => key.startsWith('resilience.') && !resilienceLabels.some(([k]) => k === key));
  return (
    <div data-testid="span-attributes">
      {(resilience.length > 0 || otherResilience.length > 0) && (
        <div className="resilience" data-testid="resilience-attributes">
          <h4>Resilience</h4>
          <dl className="facts">
            {resilience.map(([key, label]) => (
              <div key={key} className="fact">
                <dt>{label}</dt>
                <dd className={`resilience-${key.split('.').at(-1)}`}>{span.attributes[key]}</dd>
              </div>
            ))}
            {otherResilience.map((key) => (
              <div key={key} className="fact">
                <dt>{key}</dt>
                <dd>{span.attributes[key]}</dd>
              </div>
            ))}
          </dl>
        </div>
      )}
      <Attributes title="Attributes" values={span.attributes} />
      <Attributes title="Resource" values={span.resource} />
      {span.events.length > 0 && (
        <details open>
          <summary>Events ({span.events.length})</summary>
          <ul className="events">
            {span.events.map((event, i) => (
              <li key={i}>
                <span className="muted">+{formatMs(event.timeMs - traceStartMs)}</span> <strong>{event.name}</strong>
                {Object.entries(event.attributes).map(([key, value]) => (
                  <span key={key} className="chip">
                    {key}={value}
                  </span>
                ))}
              </li>
            ))}
          </ul>
        </details>
      )}
      {span.links.length > 0 && (
        <details open>
          <summary>Links ({span.links.length})</summary>
          <ul className="events">
            {span.links.map((link) => (
              <li key={`${link.traceId}/${link.spanId}`}>
                <Link href={`/traces/${link.traceId}`} className="mono">
                  {link.traceId}
                </Link>{' '}
                <span className="muted mono">span {link.spanId}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
      {span.scope.name && (
        <p className="muted">
          Instrumentation scope: {span.scope.name} {span.scope.version}
        </p>
      )}
    </div>
  );
}
