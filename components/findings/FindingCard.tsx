import Link from 'next/link';
import type { Finding } from '@/lib/contract/findings';
import { kindTitles } from './findingsFor';
import { numberLabel } from './numberLabel';

function Numbers({ title, values }: { title: string; values: Record<string, number> }) {
  const entries = Object.entries(values);
  return (
    <div className="finding-numbers">
      <h3>{title}</h3>
      {entries.length === 0 ? (
        <p className="muted">nothing configured</p>
      ) : (
        <dl>
          {entries.map(([key, value]) => (
            <div key={key}>
              <dt>{numberLabel(key)}</dt>
              <dd className="mono">{value.toLocaleString('en')}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

export function FindingCard({ finding }: { finding: Finding }) {
  const edge = finding.peerService ? `${finding.service} → ${finding.peerService}` : finding.service;
  return (
    <article className={`panel finding severity-${finding.severity}`} data-testid="finding" data-kind={finding.kind}>
      <header>
        <span className={`severity-badge severity-${finding.severity}`}>{finding.severity}</span>
        <h2>{kindTitles[finding.kind]}</h2>
        <span className="mono">{edge}</span>
        {finding.operation && <span className="muted">{finding.operation}</span>}
      </header>
      <p>{finding.explanation}</p>
      <div className="finding-columns">
        <Numbers title="Configured" values={finding.configured} />
        <Numbers title="Observed" values={finding.observed} />
      </div>
      {finding.evidenceTraceIds.length > 0 && (
        <p className="finding-evidence">
          Evidence:{' '}
          {finding.evidenceTraceIds.map((traceId) => (
            <Link key={traceId} href={`/traces/${traceId}`} className="mono">
              {traceId.slice(0, 12)}
            </Link>
          ))}
        </p>
      )}
    </article>
  );
}
