'use client';

import Link from 'next/link';
import { formatDateTime, formatMs } from '../charts/format';
import { serviceColor } from './waterfall/serviceColor';
import type { TraceSummary } from '@/lib/contract/traces';

type Props = {
  traces: TraceSummary[];
  /** The traces ticked for comparison. */
  picked: readonly string[];
  onPick(traceId: string): void;
};

export function TraceTable({ traces, picked, onPick }: Props) {
  return (
    <table className="table" data-testid="trace-table">
      <thead>
        <tr>
          <th title="Tick two traces to compare them">Compare</th>
          <th>Trace</th>
          <th>Started</th>
          <th className="num">Duration</th>
          <th className="num">Spans</th>
          <th>Services</th>
        </tr>
      </thead>
      <tbody>
        {traces.map((trace) => (
          <tr key={trace.traceId} data-testid="trace-row" className={trace.errorCount > 0 ? 'has-error' : ''}>
            <td>
              <input type="checkbox" aria-label={`Compare ${trace.traceId}`} checked={picked.includes(trace.traceId)} onChange={() => onPick(trace.traceId)} />
            </td>
            <td>
              <Link href={`/traces/${trace.traceId}`}>
                {trace.rootService}: {trace.rootOperation}
              </Link>
              <div className="muted mono">{trace.traceId}</div>
            </td>
            <td>{formatDateTime(trace.startMs)}</td>
            <td className="num">{formatMs(trace.durationMs)}</td>
            <td className="num">
              {trace.spanCount}
              {trace.errorCount > 0 && <span className="badge error">{trace.errorCount} errors</span>}
            </td>
            <td>
              {trace.services.map((service) => (
                <span key={service} className="chip" style={{ borderColor: serviceColor(service) }}>
                  {service}
                </span>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
