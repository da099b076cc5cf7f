'use client';

import { formatMs } from '../charts/format';
import { serviceColor } from '../traces/waterfall/serviceColor';
import type { LogRecord } from '@/lib/contract/traces';

type Props = { logs: LogRecord[]; traceStartMs: number; selectedSpanId: string | null; onSelectSpan(spanId: string): void };

function severityClass(log: LogRecord): string {
  if (log.severityNumber >= 17) return 'sev-error';
  if (log.severityNumber >= 13) return 'sev-warn';
  return 'sev-info';
}

/** The trace's log lines in time order, beside the waterfall; a line with a span id selects its span. */
export function TraceLogs({ logs, traceStartMs, selectedSpanId, onSelectSpan }: Props) {
  if (logs.length === 0) {
    return <p className="muted">No log records carry this trace id. Logs sent with trace context (trace_id, span_id) show up here.</p>;
  }
  return (
    <ol className="trace-logs" data-testid="trace-logs">
      {logs.map((log, i) => (
        <li
          key={i}
          className={`${severityClass(log)}${log.spanId && log.spanId === selectedSpanId ? ' selected' : ''}`}
          onClick={() => log.spanId && onSelectSpan(log.spanId)}
          data-testid="log-line"
        >
          <span className="muted">+{formatMs(log.timeMs - traceStartMs)}</span>
          <span className="severity">{log.severityText || `sev ${log.severityNumber}`}</span>
          <span className="chip" style={{ borderColor: serviceColor(log.service) }}>
            {log.service}
          </span>
          <span className="body">{log.body || log.eventName}</span>
        </li>
      ))}
    </ol>
  );
}
