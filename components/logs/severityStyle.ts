import type { SeverityLevel } from '@/lib/contract/logs';
/** Colours and classes of log severity levels, shared by the volume chart and the lines. */

export const severityColors: Record<SeverityLevel, string> = {
  unset: '#6b7280',
  trace: '#94a3b8',
  debug: '#a78bfa',
  info: '#60a5fa',
  warn: '#f59e0b',
  error: '#f87171',
  fatal: '#dc2626',
};

/** The row class of a line by its SeverityNumber: 13–16 warn, 17 and above error. */
export function severityClass(severityNumber: number): string {
  if (severityNumber >= 17) return 'sev-error';
  if (severityNumber >= 13) return 'sev-warn';
  return 'sev-info';
}
