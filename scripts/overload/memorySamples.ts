/**
 * The stack's memory, read from the collector's own /metrics once a second while a phase runs: its
 * RSS split into what JavaScript holds (V8's used heap and the buffers outside it) and the rest
 * (chDB, native code), with the bytes reserved by requests in flight.
 */
import { parseMetricsText, receiverMetricNames } from '../../collector/receiverMetrics';

export type MemoryPeaks = { rss: number; javascript: number; rest: number; inflight: number };

export async function sampleMemory(otlpUrl: string, going: () => boolean): Promise<MemoryPeaks> {
  const peaks: MemoryPeaks = { rss: 0, javascript: 0, rest: 0, inflight: 0 };
  while (going()) {
    const series = parseMetricsText(
      await fetch(`${otlpUrl}/metrics`)
        .then((response) => response.text())
        .catch(() => ''),
    );
    const gauge = (name: string) => series.get(name) ?? 0;
    const rss = gauge(`${receiverMetricNames.memory}{kind="rss"}`);
    const javascript = gauge(`${receiverMetricNames.memory}{kind="heap_used"}`) + gauge(`${receiverMetricNames.memory}{kind="array_buffers"}`);
    peaks.rss = Math.max(peaks.rss, rss);
    peaks.javascript = Math.max(peaks.javascript, javascript);
    peaks.rest = Math.max(peaks.rest, rss - javascript);
    peaks.inflight = Math.max(peaks.inflight, gauge(receiverMetricNames.inflight));
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return peaks;
}
