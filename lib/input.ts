/**
 * The boundary where HTTP query strings become typed query inputs. Every API route parses its
 * parameters through one of the zod schemas the query modules export, so a bad value is refused here,
 * with the field's name, before any SQL is built.
 */
import { z } from 'zod';
import { BadParameterError, BadTimeRangeError } from './errors';

/** The longest range a query may cover; beyond it, scans stop being interactive. */
export const maxRangeMs = 31 * 24 * 3600 * 1000;

const epochMs = z.coerce
  .number({ error: 'must be a time in milliseconds since the epoch' })
  .int('must be a whole number of milliseconds since the epoch')
  .min(0, 'must not be before 1970');

/** `from` and `to` in epoch milliseconds, `from` strictly before `to`, at most 31 days apart. */
export const timeRangeFields = { from: epochMs, to: epochMs };

export type TimeRange = { from: number; to: number };

export const timeRangeInput = z.object(timeRangeFields);

export const serviceName = z.string().trim().min(1, 'must not be empty').max(256, 'must be at most 256 characters');

/** Field names whose query-string values may repeat (`?attr=a=1&attr=b=2`). */
type ArrayKeys = readonly string[];

export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  params: URLSearchParams,
  arrayKeys: ArrayKeys = [],
): z.infer<Schema> {
  const raw: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key).filter((value) => value !== '');
    if (values.length === 0) continue;
    raw[key] = arrayKeys.includes(key) ? values : (values[values.length - 1] as string);
  }
  return parseValues(schema, raw);
}

/** The same for values already taken from elsewhere (another API's parameters, say). */
export function parseValues<Schema extends z.ZodType>(schema: Schema, raw: unknown): z.infer<Schema> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'query';
    throw new BadParameterError(`${field}: ${issue?.message ?? 'is invalid'}`);
  }
  const input = parsed.data as z.infer<Schema>;
  if (isTimeRange(input)) checkTimeRange(input);
  return input;
}

function isTimeRange(value: unknown): value is TimeRange {
  return typeof value === 'object' && value !== null && 'from' in value && 'to' in value;
}

export function checkTimeRange({ from, to }: TimeRange): void {
  if (from >= to) throw new BadTimeRangeError(`from (${from}) must be before to (${to})`);
  if (to - from > maxRangeMs) {
    throw new BadTimeRangeError(`the range from ${from} to ${to} is longer than 31 days; choose a shorter one`);
  }
}

/** A bucket width giving at most about `maxBuckets` points over the range, from a ladder of round steps. */
export function pickStepSeconds({ from, to }: TimeRange, maxBuckets = 120): number {
  const ladder = [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
  const wanted = (to - from) / 1000 / maxBuckets;
  return ladder.find((step) => step >= wanted) ?? 86400;
}
