/**
 * Jaeger's query-string conventions, turned into the inputs of lib/queries: Go durations (`1.2s`,
 * `100ms`, `500us`), start and end in epoch microseconds, tags as JSON or as `key=value` / `key:value`
 * pairs, trace ids of up to 32 hexadecimal digits. A value that doesn't parse is a BadParameterError
 * naming the parameter.
 */
import { BadParameterError } from '../errors';

/** Go's `time.ParseDuration` units, in milliseconds. */
const unitMs: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const durationPart = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** A Go duration (`1h30m`, `1.2s`, `500us`) in milliseconds. */
export function goDurationMs(text: string, parameter: string): number {
  const refuse = () => new BadParameterError(`${parameter}: ${JSON.stringify(text)} is not a duration like 1.2s, 100ms or 500us`);
  if (text === '0') return 0;
  let total = 0;
  durationPart.lastIndex = 0;
  while (durationPart.lastIndex < text.length) {
    const match = durationPart.exec(text);
    if (!match) throw refuse();
    total += Number(match[1]) * unitMs[match[2]!]!;
  }
  if (text.length === 0) throw refuse();
  return total;
}

/** A whole number ≥ 0 from the query string, or `fallback` when the parameter is absent or empty. */
export function wholeNumber(params: URLSearchParams, name: string, fallback: number): number {
  const value = params.get(name);
  if (value === null || value === '') return fallback;
  if (!/^\d+$/.test(value)) throw new BadParameterError(`${name}: ${JSON.stringify(value)} must be a whole number`);
  return Number(value);
}

export type Tag = { key: string; value: string };

/** `{"k":"v","n":200}`: values may be strings, numbers or booleans, compared as text. */
function jsonTags(text: string): Tag[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BadParameterError(`tags: ${JSON.stringify(text)} is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new BadParameterError('tags: must be a JSON object of key: value');
  return Object.entries(parsed).map(([key, value]) => {
    if (!['string', 'number', 'boolean'].includes(typeof value)) throw new BadParameterError(`tags: the value of ${key} must be a string, number or boolean`);
    return { key, value: String(value) };
  });
}

const pair = /\s*([^\s=:"]+)[=:]("((?:[^"\\]|\\.)*)"|\S*)/y;

/** `k=v k2:v2 k3="a value"`: logfmt as Grafana writes it, or Jaeger's `key:value` pairs. */
function pairTags(text: string, parameter: string): Tag[] {
  const tags: Tag[] = [];
  pair.lastIndex = 0;
  while (pair.lastIndex < text.length && text.slice(pair.lastIndex).trim() !== '') {
    const match = pair.exec(text);
    if (!match) throw new BadParameterError(`${parameter}: ${JSON.stringify(text)} must be key=value pairs (or key:value), separated by spaces`);
    tags.push({ key: match[1]!, value: match[3] !== undefined ? match[3].replace(/\\(.)/g, '$1') : match[2]! });
  }
  return tags;
}

/** The `tags` parameter (JSON or pairs) and every repeated `tag=key:value`. */
export function searchTags(params: URLSearchParams): Tag[] {
  const tags = params.get('tags')?.trim() ?? '';
  return [
    ...(tags === '' ? [] : /^[{[]/.test(tags) ? jsonTags(tags) : pairTags(tags, 'tags')),
    ...params.getAll('tag').flatMap((value) => pairTags(value, 'tag')),
  ];
}

/** Jaeger accepts trace ids of up to 32 hexadecimal digits: a shorter one is a 64-bit id, zero-padded. */
export function jaegerTraceId(text: string): string {
  if (!/^[0-9a-fA-F]{1,32}$/.test(text)) throw new BadParameterError(`traceID: ${JSON.stringify(text)} must be 1 to 32 hexadecimal digits`);
  return text.toLowerCase().padStart(32, '0');
}
