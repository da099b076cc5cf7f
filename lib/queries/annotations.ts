/**
 * Annotations: log records carrying `faultline.annotation` (a demo fault flag switched on or off), the
 * earliest first, for the markers on the dashboard's charts. Past `maxAnnotations`, the latest are kept.
 */
import { z } from 'zod';
import { sql } from '../clickhouse/sql';
import { epochMs, selectRows, table, type QueryStore } from '../clickhouse/selectRows';
import { timeRangeFields } from '../input';
import { annotationAttribute, type Annotations } from '../contract/annotations';

export const annotationsInput = z.object(timeRangeFields);
export type AnnotationsInput = z.infer<typeof annotationsInput>;

/** More markers than this would hide the curves they annotate. */
export const maxAnnotations = 200;

export async function listAnnotations(store: QueryStore, { from, to }: AnnotationsInput): Promise<Annotations> {
  const annotations = await selectRows<Annotations['annotations'][number]>(
    store,
    sql`
      SELECT ${epochMs('Timestamp')} AS timeMs, ServiceName AS service, LogAttributes[${annotationAttribute}] AS text
      FROM ${table(store, 'otel_logs')}
      WHERE Timestamp >= fromUnixTimestamp64Milli(${from}) AND Timestamp < fromUnixTimestamp64Milli(${to})
        AND mapContains(LogAttributes, ${annotationAttribute})
      ORDER BY Timestamp DESC
      LIMIT ${maxAnnotations}`,
  );
  return { annotations: annotations.reverse() };
}
