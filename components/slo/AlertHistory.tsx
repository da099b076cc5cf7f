import Link from 'next/link';
import { formatDateTime } from '../charts/format';
import { AlertBadge } from './AlertBadge';
import type { AlertChange } from '@/lib/contract/slo';

/** Every state change of the alert, newest first; firing ones list example failing traces. */
export function AlertHistory({ history }: { history: AlertChange[] }) {
  if (history.length === 0) return <p className="muted">This SLO’s alert has never left ok.</p>;
  return (
    <table className="table" data-testid="alert-history">
      <thead>
        <tr>
          <th>When</th>
          <th>State</th>
          <th>Why</th>
          <th>Example traces</th>
        </tr>
      </thead>
      <tbody>
        {history.map((change) => (
          <tr key={`${change.timeMs}-${change.state}`}>
            <td>{formatDateTime(change.timeMs)}</td>
            <td>
              <AlertBadge alert={change} />
            </td>
            <td>{change.message}</td>
            <td>
              {change.state === 'firing' &&
                change.exampleTraceIds.map((traceId) => (
                  <Link key={traceId} href={`/traces/${traceId}`} className="mono example-trace" data-testid="example-trace">
                    {traceId.slice(0, 8)}…
                  </Link>
                ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
