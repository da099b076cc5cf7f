'use client';

import { findingSeverities } from '@/lib/contract/findings';
import { useTimeRange } from '../data/useTimeRange';
import { ErrorState, Loading } from '../shell/PageState';
import { TimeRangeBar } from '../shell/TimeRangeBar';
import { FindingCard } from './FindingCard';
import { useFindings } from './useFindings';
import './findings.css';

export function FindingsPage() {
  const range = useTimeRange({ range: '15m' });
  const findings = useFindings(range);
  return (
    <section>
      <header className="page-header">
        <h1>Findings</h1>
        <TimeRangeBar range={range} isFetching={findings.isFetching} />
      </header>
      <p className="hint">
        Resilience settings that the traces show to be wrong: timeouts shorter than the answers they wait for, retries that multiply,
        dependencies with no guard, flapping breakers, full bulkheads, retried calls that are not safe to repeat.
      </p>
      {findings.isPending ? (
        <Loading what="findings" />
      ) : findings.isError ? (
        <ErrorState error={findings.error} />
      ) : findings.data.findings.length === 0 ? (
        <div className="state empty" data-testid="no-findings">
          <strong>No findings in this time range</strong>
          <p>Every guarded call, retry, breaker and bulkhead in these traces looks sound.</p>
        </div>
      ) : (
        findingSeverities.map((severity) => {
          const group = findings.data.findings.filter((finding) => finding.severity === severity);
          return group.length === 0 ? null : (
            <section key={severity} className="finding-group" aria-label={`${severity} findings`}>
              <h2 className="finding-group-title">
                {severity} ({group.length})
              </h2>
              {group.map((finding) => (
                <FindingCard key={`${finding.kind}:${finding.service}:${finding.peerService}:${finding.operation}`} finding={finding} />
              ))}
            </section>
          );
        })
      )}
    </section>
  );
}
