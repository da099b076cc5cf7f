import { formatMs } from '../charts/format';
import type { BreakerSettings, BreakerState } from '@/lib/contract/breakers';
/** How breaker figures look: the state's colour and word, and Hystrix's error-rate colour scale. */

export const stateColor: Record<BreakerState, string> = {
  closed: '#22c55e',
  'half-open': '#f59e0b',
  open: '#ef4444',
  unknown: '#6b7280',
};

export const stateWord: Record<BreakerState, string> = {
  closed: 'Closed',
  'half-open': 'Half-open',
  open: 'Open',
  unknown: 'No report',
};

/** Green → yellow → orange → red at 10 / 25 / 40 / 50 % errors, as the Hystrix dashboard colours its circle. */
export function errorRateColor(ratio: number): string {
  if (ratio >= 0.5) return '#ef4444';
  if (ratio >= 0.4) return '#f97316';
  if (ratio >= 0.25) return '#facc15';
  if (ratio >= 0.1) return '#a3e635';
  return '#22c55e';
}

/** The circle's diameter grows with the log of the call rate, so 1/s and 100/s both fit a tile. */
export function rateCircleSize(callsPerSecond: number): number {
  return Math.round(14 + 10 * Math.log10(1 + Math.max(0, callsPerSecond)));
}

/** The breaker's configuration in words ("trips after 5 consecutive failures, half-open after 5 s"); null when its spans don't say. */
export function settingsText({ failureThreshold, halfOpenAfterMs }: BreakerSettings): string | null {
  const parts = [
    failureThreshold !== null && `trips after ${failureThreshold} consecutive failure${failureThreshold === 1 ? '' : 's'}`,
    halfOpenAfterMs !== null && `half-open after ${halfOpenAfterMs % 1000 === 0 ? `${halfOpenAfterMs / 1000} s` : formatMs(halfOpenAfterMs)}`,
  ].filter((part): part is string => typeof part === 'string');
  return parts.length > 0 ? parts.join(', ') : null;
}
