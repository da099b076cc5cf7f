'use client';

import Link from 'next/link';
import { formatClock, formatCount, formatPercent, formatRate, formatSpan } from '../charts/format';
import { Sparkline } from '../charts/Sparkline';
import { traceSearchHref } from '../traces/traceFilters';
import { FindingBadge } from '../findings/FindingBadge';
import { errorRateColor, rateCircleSize, settingsText, stateColor, stateWord } from './breakerStyle';
import { StateTimeline } from './StateTimeline';
import type { Annotation } from '@/lib/contract/annotations';
import type { StateSegment, BreakerSummary } from '@/lib/contract/breakers';
import type { Finding } from '@/lib/contract/findings';

type Props = {
  breaker: BreakerSummary;
  windowSeconds: number;
  timeline: { segments: StateSegment[]; from: number; to: number; annotations: Annotation[] } | null;
  now: number;
  carried: string;
  /** The findings on this breaker's edge. */
  findings: readonly Finding[];
};

const sparkSeries = [
  { key: 'ok', color: '#22c55e' },
  { key: 'failures', color: '#ef4444' },
  { key: 'rejected', color: '#a855f7' },
];

export function BreakerTile({ breaker, windowSeconds, timeline, now, carried, findings }: Props) {
  const { recent, total, lastTransition } = breaker;
  const configured = settingsText(breaker.configured);
  const size = rateCircleSize(recent.callsPerSecond);
  const breakerFilter = `resilience.circuit_breaker.name=${breaker.name}`;
  const rejectedHref = traceSearchHref({ service: breaker.service, attr: [breakerFilter, 'resilience.circuit_breaker.state=open'] }, carried);
  const fallbackHref = traceSearchHref({ service: breaker.service, attr: [breakerFilter, 'resilience.fallback.used=true'] }, carried);
  const sparkData = breaker.sparkline.map((point) => ({
    ok: Math.max(0, point.calls - point.failures - point.rejected),
    failures: point.failures,
    rejected: point.rejected,
  }));

  return (
    <article className="breaker-tile" data-testid="breaker-tile" data-breaker={breaker.name} data-service={breaker.service} data-state={breaker.state}>
      <header>
        <div>
          <div className="breaker-name">{breaker.name}</div>
          <div className="muted">
            {breaker.service} → {breaker.peer || 'dependency'}
          </div>
        </div>
        <span
          className="rate-circle"
          style={{ width: size, height: size, background: errorRateColor(recent.failureRate) }}
          title={`${formatRate(recent.callsPerSecond)}, ${formatPercent(recent.failureRate)} failing`}
        />
      </header>
      <div className="state-badge" data-testid="breaker-state" style={{ borderColor: stateColor[breaker.state], color: stateColor[breaker.state] }}>
        {stateWord[breaker.state]}
      </div>
      {configured && (
        <p className="breaker-settings muted" data-testid="breaker-settings">
          Configured: {configured}
        </p>
      )}
      <FindingBadge findings={findings} carried={carried} />
      <dl className="breaker-figures">
        <div>
          <dt>Failure rate</dt>
          <dd style={{ color: errorRateColor(recent.failureRate) }}>{formatPercent(recent.failureRate)}</dd>
        </div>
        <div>
          <dt>Call rate</dt>
          <dd>{formatRate(recent.callsPerSecond)}</dd>
        </div>
        <div>
          <dt>Rejected</dt>
          <dd className="outcome-rejected">{formatCount(recent.rejected)}</dd>
        </div>
      </dl>
      <div className="outcomes muted">
        Figures above: last {windowSeconds}s. Over the range: <span className="outcome-success">{formatCount(total.success)} ok</span> ·{' '}
        <span className="outcome-failure">{formatCount(total.failure)} failed</span> ·{' '}
        <span className="outcome-timeout">{formatCount(total.timeout)} timed out</span> ·{' '}
        <span className="outcome-rejected">{formatCount(total.rejected)} rejected</span>
      </div>
      <p className="transition">
        {lastTransition ? (
          <>
            {stateWord[lastTransition.from]} → <strong>{stateWord[lastTransition.to]}</strong> at {formatClock(lastTransition.timeMs)}
            {lastTransition.to === breaker.state && <> · {stateWord[breaker.state].toLowerCase()} for {formatSpan(now - lastTransition.timeMs)}</>}
          </>
        ) : (
          <span className="muted">No transition in this range</span>
        )}
      </p>
      <Sparkline data={sparkData} series={sparkSeries} />
      {timeline && <StateTimeline {...timeline} />}
      <footer>
        <Link href={rejectedHref}>Rejected calls’ traces →</Link>
        <Link href={fallbackHref}>Fallback traces →</Link>
      </footer>
    </article>
  );
}
