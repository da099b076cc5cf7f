import type { SloSummary } from '@/lib/contract/slo';
/** How SLO figures read: targets and SLIs as percentages with enough digits to tell 99.9 from 99.95. */

export function formatSli(ratio: number | null): string {
  return ratio === null ? '—' : `${(ratio * 100).toFixed(3)}%`;
}

export function formatWindow(ms: number): string {
  return ms % 86_400_000 === 0 ? `${ms / 86_400_000}d` : `${ms / 3_600_000}h`;
}

export function describeObjective(slo: SloSummary['slo']): string {
  const what = slo.objective === 'availability' ? 'succeed' : `finish within ${slo.thresholdMs} ms`;
  return `${slo.target}% of ${slo.operation ? `“${slo.operation}”` : 'requests'} ${what}, over ${formatWindow(slo.windowMs)}`;
}
