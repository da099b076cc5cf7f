'use client';

import Link from 'next/link';
import { useState } from 'react';
import { formatDateTime } from '../charts/format';
import { serviceColor } from '../traces/waterfall/serviceColor';
import { severityClass } from './severityStyle';
import type { LogLine as LogLineRow } from '@/lib/contract/logs';

/** One log line: time, severity, service, body and its trace link; a click shows its attributes. */
export function LogLine({ line }: { line: LogLineRow }) {
  const [open, setOpen] = useState(false);
  const attributes = Object.entries(line.attributes);
  return (
    <li className={`log-line ${severityClass(line.severityNumber)}`} data-testid="log-line" data-trace-id={line.traceId || undefined}>
      <button type="button" className="log-summary" onClick={() => setOpen(!open)} aria-expanded={open}>
        <span className="muted mono">{formatDateTime(line.timeMs)}</span>
        <span className="severity">{line.severityText || `sev ${line.severityNumber}`}</span>
        <span className="chip" style={{ borderColor: serviceColor(line.service) }}>
          {line.service}
        </span>
        <span className="body">{line.body}</span>
      </button>
      {line.traceId && (
        <Link className="trace-link mono" href={`/traces/${line.traceId}`} data-testid="log-trace-link">
          trace {line.traceId.slice(0, 8)}…
        </Link>
      )}
      {open && (
        <table className="kv log-attributes">
          <tbody>
            {[...attributes, ...Object.entries(line.resource)].map(([key, value], i) => (
              <tr key={`${i}-${key}`} className={i >= attributes.length ? 'muted' : ''}>
                <th>{key}</th>
                <td>{value}</td>
              </tr>
            ))}
            {line.spanId && (
              <tr>
                <th>span id</th>
                <td className="mono">{line.spanId}</td>
              </tr>
            )}
          </tbody>
        </table>
      )}
    </li>
  );
}
