/** Request outcomes and latency percentiles for the load generator and the benchmark. */

export interface LoadSummary {
  requests: number;
  errors: number;
  durationMs: number;
  throughputRps: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  byKind: Record<string, { requests: number; errors: number }>;
  byStatus: Record<string, number>;
}

/** Nearest-rank percentile of ascending `sorted` values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export class LoadStats {
  private readonly latencies: number[] = [];
  private readonly byKind: LoadSummary['byKind'] = {};
  private readonly byStatus: Record<string, number> = {};
  private errors = 0;
  private readonly startedAt = performance.now();

  /** `status` 0 means no HTTP answer (connection refused, reset, client timeout). */
  record(kind: string, status: number, latencyMs: number): void {
    const failed = status === 0 || status >= 400;
    this.latencies.push(latencyMs);
    const entry = (this.byKind[kind] ??= { requests: 0, errors: 0 });
    entry.requests++;
    const statusKey = status === 0 ? 'no answer' : String(status);
    this.byStatus[statusKey] = (this.byStatus[statusKey] ?? 0) + 1;
    if (failed) {
      entry.errors++;
      this.errors++;
    }
  }

  get requests(): number {
    return this.latencies.length;
  }

  get errorCount(): number {
    return this.errors;
  }

  summary(): LoadSummary {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const durationMs = performance.now() - this.startedAt;
    return {
      requests: sorted.length,
      errors: this.errors,
      durationMs,
      throughputRps: sorted.length / (durationMs / 1000),
      p50Ms: percentile(sorted, 50),
      p95Ms: percentile(sorted, 95),
      p99Ms: percentile(sorted, 99),
      byKind: structuredClone(this.byKind),
      byStatus: { ...this.byStatus },
    };
  }
}

export function formatSummary(summary: LoadSummary): string {
  const kinds = Object.entries(summary.byKind)
    .map(([kind, { requests, errors }]) => `  ${kind.padEnd(10)} ${String(requests).padStart(7)} requests ${String(errors).padStart(6)} errors`)
    .join('\n');
  const statuses = Object.entries(summary.byStatus)
    .map(([status, count]) => `${status}: ${count}`)
    .join(', ');
  return [
    `requests ${summary.requests}, errors ${summary.errors} (${((summary.errors / Math.max(1, summary.requests)) * 100).toFixed(1)}%), ${summary.throughputRps.toFixed(1)} req/s over ${(summary.durationMs / 1000).toFixed(1)} s`,
    `latency p50 ${summary.p50Ms.toFixed(1)} ms, p95 ${summary.p95Ms.toFixed(1)} ms, p99 ${summary.p99Ms.toFixed(1)} ms`,
    `by status: ${statuses || '-'}`,
    kinds,
  ].join('\n');
}
