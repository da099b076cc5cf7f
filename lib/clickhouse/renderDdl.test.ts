import { describe, expect, it } from 'vitest';
import { renderDdl } from './renderDdl';
import { schemaObjects } from './schema';

const object = (name: string) => schemaObjects.find((entry) => entry.name === name)!;
const single = { database: 'faultline', retentionDays: 7, fullText: false };
const cluster = { ...single, cluster: 'observability' };

describe('DDL for a single server', () => {
  it('creates otel_traces as a plain MergeTree with the contrib ordering, partitioning and TTL', () => {
    const [statement, ...rest] = renderDdl(object('otel_traces'), single);
    expect(rest).toEqual([]);
    expect(statement).toContain('CREATE TABLE IF NOT EXISTS "faultline"."otel_traces"  (');
    expect(statement).toContain('ENGINE = MergeTree()');
    expect(statement).toContain('ORDER BY (ServiceName, SpanName, toDateTime(Timestamp), Timestamp)');
    expect(statement).toContain('PARTITION BY toDate(Timestamp)');
    expect(statement).toContain('TTL toDateTime(Timestamp) + toIntervalDay(7)');
    expect(statement).not.toMatch(/\{\{|\}\}/);
  });

  it('uses bloom filters before ClickHouse 26.2 and text indexes from then on', () => {
    expect(renderDdl(object('otel_traces'), single)[0]).toContain('INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1');
    const withText = renderDdl(object('otel_traces'), { ...single, fullText: true })[0]!;
    expect(withText).toContain("INDEX idx_trace_id TraceId TYPE text(tokenizer = 'array')");
    expect(withText).not.toContain('bloom_filter(0.001)');
  });

  it('leaves the TTL out when retention is 0 (keep forever)', () => {
    expect(renderDdl(object('otel_logs'), { ...single, retentionDays: 0 })[0]).not.toContain('TTL');
  });

  it('expands the shared metric columns into every metric table', () => {
    const sum = renderDdl(object('otel_metrics_sum'), single)[0]!;
    expect(sum).toContain('MetricName String CODEC(ZSTD(1))');
    expect(sum).toContain('Exemplars Nested (');
    expect(sum).toContain('IsMonotonic Boolean CODEC(Delta, ZSTD(1))');
    expect(sum).toContain('ORDER BY (ServiceName, MetricName, Attributes, toUnixTimestamp64Nano(TimeUnix))');
  });
});

describe('DDL for a cluster (CLICKHOUSE_CLUSTER)', () => {
  it('creates a replicated _local table ON CLUSTER and a Distributed table under the public name', () => {
    const [local, distributed] = renderDdl(object('otel_traces'), cluster);
    expect(local).toContain('CREATE TABLE IF NOT EXISTS "faultline"."otel_traces_local" ON CLUSTER "observability" (');
    expect(local).toContain("ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')");
    expect(distributed).toBe(
      'CREATE TABLE IF NOT EXISTS "faultline"."otel_traces" ON CLUSTER "observability" AS "faultline"."otel_traces_local" ' +
        'ENGINE = Distributed("observability", "faultline", "otel_traces_local", cityHash64(TraceId))',
    );
  });

  it('keeps the trace-id table an aggregating table, replicated', () => {
    const [local] = renderDdl(object('otel_traces_trace_id_ts'), cluster);
    expect(local).toContain('ENGINE = ReplicatedAggregatingMergeTree(');
  });

  it('points the trace-id view from local table to local table on every shard', () => {
    const statements = renderDdl(object('otel_traces_trace_id_ts_mv'), cluster);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toContain('CREATE MATERIALIZED VIEW IF NOT EXISTS "faultline"."otel_traces_trace_id_ts_mv" ON CLUSTER "observability"');
    expect(statements[0]).toContain('TO "faultline"."otel_traces_trace_id_ts_local"');
    expect(statements[0]).toContain('FROM "faultline"."otel_traces_local"');
  });
});

describe('identifiers', () => {
  it('refuses a database name that is not a plain identifier', () => {
    expect(() => renderDdl(object('otel_logs'), { ...single, database: 'x"; DROP TABLE y; --' })).toThrow(/not a plain identifier/);
  });
});
