/**
 * The collector's pipeline, in the OpenTelemetry Collector's fixed order: memory limit →
 * decode/encode (exporter) → batch → insert. `consume` resolves only once the request's rows
 * are committed, so the receiver can acknowledge with a clear conscience.
 */
import type { Store } from '../lib/clickhouse/store';
import type { FaultlineConfig } from '../lib/config';
import type { Signal } from '../lib/otlp/responses';
import { collectorErrors } from './errors';
import { exportLogs } from './exporters/clickhouse/logs';
import { exportMetrics } from './exporters/clickhouse/metrics';
import type { BodyEncoding, SignalExporter } from './exporters/clickhouse/signalChunks';
import { exportTraces } from './exporters/clickhouse/traces';
import { BatchProcessor } from './processors/batch';
import { MemoryLimiter } from './processors/memoryLimiter';

const exporters: Record<Signal, SignalExporter> = { traces: exportTraces, logs: exportLogs, metrics: exportMetrics };

export type ConsumeResult = { accepted: number; rejected: number; rejectReason?: string };

/** Roughly what a request holds in memory while it waits: its body plus its encoded rows. */
export const memoryPerBodyByte = 3;

export class Pipeline {
  private readonly limiter: MemoryLimiter;
  private readonly batches: BatchProcessor;
  private stopping = false;

  constructor(store: Store, config: Pick<FaultlineConfig, 'otlp' | 'batch'>) {
    this.limiter = new MemoryLimiter(config.otlp.maxInflightBytes);
    this.batches = new BatchProcessor(store.writer, config.batch);
  }

  get inflightBytes(): number {
    return this.limiter.inflightBytes;
  }

  /** Refuses a request whose body (declared size, or what has arrived of it) can't fit, before the rest is read. */
  checkCapacity(bodyBytes: number): void {
    if (this.stopping) throw collectorErrors.shuttingDown();
    this.limiter.check(bodyBytes * memoryPerBodyByte);
  }

  async consume(signal: Signal, encoding: BodyEncoding, body: Buffer): Promise<ConsumeResult> {
    if (this.stopping) throw collectorErrors.shuttingDown();
    const reserved = body.length * memoryPerBodyByte;
    this.limiter.admit(reserved);
    try {
      const result = exporters[signal](body, encoding);
      await Promise.all(result.chunks.map((chunk) => this.batches.add(chunk)));
      return { accepted: result.accepted, rejected: result.rejected, rejectReason: result.rejectReason };
    } finally {
      this.limiter.release(reserved);
    }
  }

  /** Refuses new requests and waits until every accepted one is committed or failed. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    await this.batches.drain();
  }
}
