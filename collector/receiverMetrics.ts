/**
 * The collector's own telemetry: items accepted and refused per signal, and whole requests refused,
 * in the Prometheus text format (served on GET /metrics). Every receiver counts through one
 * instance, the pipeline's, so the numbers cover all protocols.
 */
import type { IngestStatus } from '../lib/contract/health';
import type { Refused } from '../lib/otlp/decode/timeWindow';
import { classify, type StoreWriteError } from './errors';
import type { Signal } from './receivers/otlpResponses';

const signals: readonly Signal[] = ['traces', 'logs', 'metrics'];
const itemReasons = { invalid: 'invalid', tooOld: 'too_old', tooNew: 'too_new' } as const;
type ItemReason = keyof typeof itemReasons;

export const receiverMetricNames = {
  accepted: 'faultline_receiver_accepted_items_total',
  refused: 'faultline_receiver_refused_items_total',
  refusedRequests: 'faultline_receiver_refused_requests_total',
  restartDuplicates: 'faultline_receiver_restart_duplicate_spans_total',
  inflight: 'faultline_receiver_inflight_bytes',
  memory: 'faultline_process_memory_bytes',
  inserts: 'faultline_store_inserts_total',
  staged: 'faultline_store_staged_bytes',
} as const;

export class ReceiverMetrics {
  /**
   * `inflightBytes` reads what the memory limiter holds reserved now (collector/processors/memoryLimiter.ts),
   * `stagedBytes` what the store has acknowledged and not yet moved into otel_traces (lib/clickhouse/spanStaging.ts).
   */
  constructor(
    private readonly inflightBytes: () => number,
    private readonly stagedBytes: () => number,
  ) {}

  private readonly acceptedItems = new Map<Signal, number>(signals.map((signal) => [signal, 0]));
  private readonly refusedItems = new Map<string, number>(
    signals.flatMap((signal) => Object.keys(itemReasons).map((reason) => [itemKey(signal, reason as ItemReason), 0] as const)),
  );
  private readonly refusedRequests = new Map<string, number>();
  private restartDuplicates = 0;
  private readonly inserts = new Map<string, number>();
  private lastCommitAt: number | null = null;
  private lastFailure: IngestStatus['lastFailure'] = null;

  /** A request answered 200: its committed items and the ones it refused. */
  countItems(signal: Signal, accepted: number, refused: Refused): void {
    this.acceptedItems.set(signal, this.acceptedItems.get(signal)! + accepted);
    for (const reason of Object.keys(itemReasons) as ItemReason[]) {
      const key = itemKey(signal, reason);
      this.refusedItems.set(key, this.refusedItems.get(key)! + refused[reason]);
    }
  }

  /** A request refused whole (4xx, 429, 5xx); `signal` is 'none' when the path named none. */
  countRefusedRequest(signal: Signal | 'none', status: number): void {
    const key = `signal="${signal}",status="${status}"`;
    this.refusedRequests.set(key, (this.refusedRequests.get(key) ?? 0) + 1);
  }

  /** Spans sent again after an unclean stop that were already stored, so not stored twice (collector/processors/restartDuplicates.ts). */
  countRestartDuplicates(spans: number): void {
    this.restartDuplicates += spans;
  }

  /** Every insert's outcome, for `ingestStatus`; committed ones are counted by table. */
  countInsert(table: string, failure?: StoreWriteError): void {
    if (failure === undefined) {
      this.lastCommitAt = Date.now();
      this.inserts.set(table, (this.inserts.get(table) ?? 0) + 1);
    } else this.lastFailure = { at: Date.now(), code: classify(failure).code === 'FAULTLINE_ERR_STORE_FULL' ? 'FAULTLINE_ERR_STORE_FULL' : 'FAULTLINE_ERR_STORE_UNAVAILABLE' };
  }

  /** Whether the store is taking the collector's rows: what the dashboard's /api/health reports. */
  ingestStatus(): IngestStatus {
    const failing = this.lastFailure !== null && (this.lastCommitAt === null || this.lastFailure.at >= this.lastCommitAt);
    return { failing, lastCommitAt: this.lastCommitAt, lastFailure: this.lastFailure };
  }

  render(): string {
    const memory = process.memoryUsage();
    return [
      family(
        receiverMetricNames.accepted,
        'Spans, log records and data points committed to the store and acknowledged.',
        [...this.acceptedItems].map(([signal, value]) => [`signal="${signal}"`, value] as const),
      ),
      family(receiverMetricNames.refused, 'Items refused in partial_success, by reason (invalid, too_old, too_new).', [...this.refusedItems]),
      family(receiverMetricNames.refusedRequests, 'Requests refused whole, by HTTP status; their items are not counted.', [...this.refusedRequests]),
      family(
        receiverMetricNames.restartDuplicates,
        'Spans sent again after an unclean stop that were already stored before it, so not stored twice; also counted as accepted.',
        [['', this.restartDuplicates]],
      ),
      family(
        receiverMetricNames.inserts,
        'Inserts committed to the store, by table: each carries one batch of requests (collector/processors/batch.ts).',
        [...this.inserts].map(([table, value]) => [`table="${table}"`, value] as const),
      ),
      family(
        receiverMetricNames.staged,
        'Bytes of span rows acknowledged and committed to staging, not yet moved into otel_traces (embedded store).',
        [['', this.stagedBytes()]],
        'gauge',
      ),
      family(receiverMetricNames.inflight, 'Bytes reserved by requests in flight against FAULTLINE_MAX_INFLIGHT_BYTES.', [['', this.inflightBytes()]], 'gauge'),
      family(
        receiverMetricNames.memory,
        "The process's resident memory, V8's used heap, and the buffers outside it (request bodies, rows).",
        [
          ['kind="rss"', memory.rss],
          ['kind="heap_used"', memory.heapUsed],
          ['kind="array_buffers"', memory.arrayBuffers],
        ],
        'gauge',
      ),
    ].join('');
  }
}

/** The series of `render`'s text, `name{labels}` → value, as a scraper reads them. */
export function parseMetricsText(text: string): Map<string, number> {
  const series = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
  return new Map(series.map((line) => [line.slice(0, line.lastIndexOf(' ')), Number(line.slice(line.lastIndexOf(' ') + 1))]));
}

function itemKey(signal: Signal, reason: ItemReason): string {
  return `signal="${signal}",reason="${itemReasons[reason]}"`;
}

function family(name: string, help: string, series: readonly (readonly [string, number])[], type: 'counter' | 'gauge' = 'counter'): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...series.map(([labels, value]) => `${name}${labels ? `{${labels}}` : ''} ${value}`)];
  return lines.join('\n') + '\n';
}
