-- Fills faultline_guarded_calls from every insert into otel_traces, whoever the writer is. The
-- expressions are those lib/findings/spanRows.ts applies to the raw spans at a range's edges. The guarded
-- spans are picked, and their attributes read, before ARRAY JOIN copies each span once per step.
CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.faultline_guarded_calls_mv
TO {{db}}.faultline_guarded_calls
AS SELECT
    Step,
    if(Step = 0, Timestamp, toDateTime64(intDiv(toUnixTimestamp(Timestamp), greatest(Step, 1)) * Step, 9)) AS Start,
    ServiceName,
    Peer,
    SpanName,
    TimeoutMs,
    ConfiguredAttempts,
    count() AS Calls,
    countIf(Failed) AS Errors,
    sum(Attempt + 1) AS Attempts,
    max(Attempt + 1) AS MaxAttempts,
    countIf(NotIdempotent AND Attempt > 0) AS NonIdempotentRetries,
    max(BulkheadSize) AS BulkheadLimit,
    countIf(Bulkheaded AND NOT Waited) AS BulkheadRejections,
    countIf(Waited) AS Queued,
    sumIf(WaitShare, Waited) AS QueueWaitShares
FROM (
    SELECT
        Timestamp,
        ServiceName,
        SpanAttributes['peer.service'] AS Peer,
        SpanName,
        toUInt32OrZero(SpanAttributes['resilience.timeout.ms']) AS TimeoutMs,
        toUInt32OrZero(SpanAttributes['resilience.retry.max_attempts']) AS ConfiguredAttempts,
        StatusCode = 'Error' AS Failed,
        toUInt32OrZero(SpanAttributes['resilience.retry.attempt']) AS Attempt,
        SpanAttributes['resilience.idempotent'] = 'false' AS NotIdempotent,
        toUInt32OrZero(SpanAttributes['resilience.bulkhead.limit']) AS BulkheadSize,
        mapContains(SpanAttributes, 'resilience.bulkhead.limit') AS Bulkheaded,
        mapContains(SpanAttributes, 'resilience.bulkhead.queue_wait_ms') AS Waited,
        toUInt32OrZero(SpanAttributes['resilience.bulkhead.queue_wait_ms']) * 1e6 / greatest(Duration, 1) AS WaitShare
    FROM {{db}}.otel_traces
    WHERE mapContains(SpanAttributes, 'resilience.circuit_breaker.name') OR mapContains(SpanAttributes, 'resilience.timeout.ms')
)
ARRAY JOIN [0, 60, 3600] AS Step
GROUP BY Step, Start, ServiceName, Peer, SpanName, TimeoutMs, ConfiguredAttempts
