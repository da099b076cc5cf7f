/** Number and time formatting shared by tables, tiles and chart axes. */

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms === 0) return '0 ms';
  if (ms >= 60_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms >= 1_000) return `${(ms / 1_000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  if (ms >= 1) return `${ms.toFixed(1)} ms`;
  return `${(ms * 1000).toFixed(0)} µs`;
}

export function formatRate(perSecond: number): string {
  if (perSecond === 0) return '0/s';
  if (perSecond >= 100) return `${perSecond.toFixed(0)}/s`;
  if (perSecond >= 1) return `${perSecond.toFixed(1)}/s`;
  // Slow rates read better per minute or per hour than as fractions per second.
  const perMinute = perSecond * 60;
  if (perMinute >= 1) return `${perMinute.toFixed(1)}/min`;
  if (perMinute >= 0.1) return `${perMinute.toFixed(2)}/min`;
  return `${(perSecond * 3600).toFixed(1)}/h`;
}

export function formatPercent(ratio: number): string {
  if (ratio === 0) return '0%';
  if (ratio < 0.001) return '<0.1%';
  return `${(ratio * 100).toFixed(ratio < 0.1 ? 1 : 0)}%`;
}

export function formatCount(count: number): string {
  return new Intl.NumberFormat('en', { notation: count >= 10_000 ? 'compact' : 'standard' }).format(count);
}

export function formatClock(ms: number, withSeconds = true): string {
  return new Date(ms).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: withSeconds ? '2-digit' : undefined });
}

export function formatDateTime(ms: number): string {
  const date = new Date(ms);
  return `${date.toLocaleDateString('en-CA')} ${formatClock(ms)}`;
}

/** "3m 20s", "1h 5m": how long something lasted or how long ago it happened. */
export function formatSpan(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}
