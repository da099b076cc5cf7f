/**
 * The collector's pipeline, in the OpenTelemetry Collector's fixed order: memory limiter → the
 * receiver's decoding into rows → batch processor → ClickHouse exporter. `consume` resolves only once
 * the request's rows are committed, so the receiver can acknowledge with a clear conscience.
 */
import type { Store } from '../lib/clickhouse/store';
import type { FaultlineConfig } from '../lib/config';
import type { Signal } from './receivers/otlpResponses';
import { refusalMessage, timeWindow, type Refused, type TimeWindow } from '../lib/otlp/decode/timeWindow';
import { collectorErrors } from './errors';
import { clickHouseExporter } from './exporters/clickhouse';
import { BatchProcessor } from './processors/batch';
import { MemoryLimiter } from './processors/memoryLimiter';
import { RestartDuplicates } from './processors/restartDuplicates';
import { ReceiverMetrics } from './receiverMetrics';
import { logsToRows } from './receivers/otlp/logs';
import { metricsToRows } from './receivers/otlp/metrics';
import type { TableChunk } from '../lib/otlp/rows/tableChunk';
import type { BodyEncoding, SignalDecoder, SignalRows } from './receivers/otlp/signalRows';
import { tracesToRows } from './receivers/otlp/traces';

const decoders: Record<Signal, SignalDecoder> = { traces: tracesToRows, logs: logsToRows, metrics: metricsToRows };

const itemNames: Record<Signal, string> = { traces: 'spans', logs: 'log records', metrics: 'data points' };

/** `message` is for partial_success: empty when nothing was refused. */
export type ConsumeResult = { accepted: number; refused: Refused; message: string };

/** Roughly what a request holds in memory while it waits: its body plus its encoded rows. */
export const memoryPerBodyByte = 3;

export class Pipeline {
  private readonly limiter: MemoryLimiter;
  private readonly batches: BatchProcessor;
  private readonly retentionDays: number;
  /** Set only after an unclean stop, and only for its window. */
  private restartDuplicates: RestartDuplicates | undefined;
  private stopping = false;
  /** The receivers count what they accept and refuse here. */
  readonly metrics: ReceiverMetrics;

  constructor(store: Store, config: Pick<FaultlineConfig, 'otlp' | 'batch' | 'retentionDays' | 'crashDedupMs'>) {
    this.retentionDays = config.retentionDays;
    if (store.uncleanStop && config.crashDedupMs > 0) this.restartDuplicates = new RestartDuplicates(store, Date.now(), config.crashDedupMs);
    this.limiter = new MemoryLimiter(config.otlp.maxInflightBytes);
    this.metrics = new ReceiverMetrics(() => this.limiter.inflightBytes, () => store.stagedBytes());
    this.batches = new BatchProcessor(clickHouseExporter(store.writer, this.metrics), config.batch);
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
    return this.consumeWith(body, itemNames[signal], (window) => decoders[signal](body, encoding, window));
  }

  /** `consume` for a receiver that decodes its own protocol (Zipkin) into rows; `items` names them in a refusal. */
  async consumeWith(body: Buffer, items: string, decode: (window: TimeWindow) => SignalRows): Promise<ConsumeResult> {
    if (this.stopping) throw collectorErrors.shuttingDown();
    const reserved = body.length * memoryPerBodyByte;
    this.limiter.admit(reserved);
    try {
      const window = timeWindow(Date.now(), this.retentionDays);
      const { accepted, refused, ...decoded } = decode(window);
      const chunks = await this.withoutRestartDuplicates(decoded.chunks);
      await Promise.all(chunks.map((chunk) => this.batches.add(chunk)));
      return { accepted, refused, message: refusalMessage(refused, items, window) };
    } finally {
      this.limiter.release(reserved);
    }
  }

  /** Spans that are sent again after an unclean stop and already stored go no further; they count as accepted. */
  private async withoutRestartDuplicates(chunks: TableChunk[]): Promise<TableChunk[]> {
    if (this.restartDuplicates && !this.restartDuplicates.active) this.restartDuplicates = undefined;
    if (!this.restartDuplicates) return chunks;
    const kept = await this.restartDuplicates.drop(chunks);
    this.metrics.countRestartDuplicates(kept.dropped);
    return kept.chunks;
  }

  /** Refuses new requests and waits until every accepted one is committed or failed. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    await this.batches.drain();
  }
}
