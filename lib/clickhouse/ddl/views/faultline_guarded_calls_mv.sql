-- Fills faultline_guarded_calls from every insert into otel_traces, whoever the writer is. The
-- expressions are those lib/findings/spanRows.ts applies to the raw spans at a range's edges.
CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.faultline_guarded_calls_mv
TO {{db}}.faultline_guarded_calls
AS SELECT
    Step,
    if(Step = 0, Timestamp, toDateTime64(intDiv(toUnixTimestamp(Timestamp), greatest(Step, 1)) * Step, 9)) AS Start,
    ServiceName,
    SpanAttributes['peer.service'] AS Peer,
    SpanName,
    toUInt32OrZero(SpanAttributes['resilience.timeout.ms']) AS TimeoutMs,
    toUInt32OrZero(SpanAttributes['resilience.retry.max_attempts']) AS ConfiguredAttempts,
    count() AS Calls,
    countIf(StatusCode = 'Error') AS Errors,
    sum(toUInt32OrZero(SpanAttributes['resilience.retry.attempt']) + 1) AS Attempts,
    max(toUInt32OrZero(SpanAttributes['resilience.retry.attempt']) + 1) AS MaxAttempts,
    countIf(SpanAttributes['resilience.idempotent'] = 'false' AND toUInt32OrZero(SpanAttributes['resilience.retry.attempt']) > 0) AS NonIdempotentRetries,
    max(toUInt32OrZero(SpanAttributes['resilience.bulkhead.limit'])) AS BulkheadLimit,
    countIf(mapContains(SpanAttributes, 'resilience.bulkhead.limit') AND NOT mapContains(SpanAttributes, 'resilience.bulkhead.queue_wait_ms')) AS BulkheadRejections,
    countIf(mapContains(SpanAttributes, 'resilience.bulkhead.queue_wait_ms')) AS Queued,
    sumIf(toUInt32OrZero(SpanAttributes['resilience.bulkhead.queue_wait_ms']) * 1e6 / greatest(Duration, 1), mapContains(SpanAttributes, 'resilience.bulkhead.queue_wait_ms')) AS QueueWaitShares
FROM {{db}}.otel_traces
ARRAY JOIN [0, 60, 3600] AS Step
WHERE mapContains(SpanAttributes, 'resilience.circuit_breaker.name') OR mapContains(SpanAttributes, 'resilience.timeout.ms')
GROUP BY Step, Start, ServiceName, Peer, SpanName, TimeoutMs, ConfiguredAttempts
