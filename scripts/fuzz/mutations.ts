/**
 * fast-check arbitraries of broken bodies, each made from a valid one: byte mutations of protobuf
 * (bit flips, truncation, a wrong wire type, a huge length, spliced garbage, deep nesting), value
 * and text mutations of JSON (wrong types, big numbers, odd Unicode, cut text), and gzip bodies
 * (corrupt, or bombs that inflate to just under or over the body limit).
 */
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { deeplyNestedLogLine, deeplyNestedTracesJson, deeplyNestedTracesProto, wrapInFields } from '../../tests/support/deepNesting';
import { oddText } from './validBodies';

/** A mutation of a body's bytes, named for the statistics. */
export type Mutated = { mutation: string; body: Buffer };

/** Positions are drawn as fractions so that they shrink toward the start whatever the body's length. */
const position = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const at = (body: Buffer, fraction: number) => Math.floor(fraction * body.length);

function varint(value: bigint): Buffer {
  const bytes: number[] = [];
  while (value > 0x7fn) {
    bytes.push(Number(value & 0x7fn) | 0x80);
    value >>= 7n;
  }
  bytes.push(Number(value));
  return Buffer.from(bytes);
}

/** Byte-level mutations that make sense for any binary body (protobuf, gzip). */
export function byteMutation(body: Buffer): fc.Arbitrary<Mutated> {
  return fc.oneof(
    fc.tuple(position, fc.integer({ min: 0, max: 7 })).map(([fraction, bit]) => {
      const copy = Buffer.from(body);
      if (copy.length > 0) copy[at(copy, fraction)]! ^= 1 << bit;
      return { mutation: 'bit flip', body: copy };
    }),
    position.map((fraction) => ({ mutation: 'truncation', body: body.subarray(0, at(body, fraction)) })),
    fc.tuple(position, fc.integer({ min: 0, max: 7 })).map(([fraction, wireType]) => {
      const copy = Buffer.from(body);
      if (copy.length > 0) copy[at(copy, fraction)] = (copy[at(copy, fraction)]! & ~7) | wireType;
      return { mutation: 'wire type', body: copy };
    }),
    fc.tuple(position, fc.bigInt({ min: 1n << 28n, max: (1n << 64n) - 1n })).map(([fraction, length]) => {
      const cut = at(body, fraction);
      // A length-delimited field 1 claiming `length` bytes, spliced in where a field may start.
      return { mutation: 'huge length', body: Buffer.concat([body.subarray(0, cut), Buffer.from([0x0a]), varint(length), body.subarray(cut)]) };
    }),
    fc.tuple(position, fc.uint8Array({ minLength: 1, maxLength: 64 })).map(([fraction, garbage]) => {
      const cut = at(body, fraction);
      return { mutation: 'spliced bytes', body: Buffer.concat([body.subarray(0, cut), garbage, body.subarray(cut)]) };
    }),
    fc.constant({ mutation: 'doubled', body: Buffer.concat([body, body]) }),
    fc.uint8Array({ maxLength: 512 }).map((random) => ({ mutation: 'random bytes', body: Buffer.from(random) })),
  );
}

/** Protobuf-only shapes: deep nesting and length-delimited fields wrapped around the body. */
export const protobufShape: fc.Arbitrary<Mutated> = fc.oneof(
  fc.integer({ min: 90, max: 8_000 }).map((depth) => ({ mutation: 'deep nesting', body: deeplyNestedTracesProto(depth) })),
  fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 15 })).map(([levels, field]) => ({
    mutation: 'nested messages',
    body: wrapInFields(Buffer.from('x'), Array.from({ length: levels }, () => field)),
  })),
);

/** Values that are the wrong type, too big, or odd almost anywhere in an OTLP/JSON or Zipkin body. */
const oddJsonValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, -0, 1e308, -1e308, 2 ** 53 + 2, 0.5, '', '-1', '1e400', '99999999999999999999999999999', 'NaN', 'Infinity', [], {}),
  oddText,
  fc.integer(),
  fc.double(),
  fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }).map(String),
  fc.array(fc.oneof(fc.integer(), oddText), { maxLength: 3 }),
  fc.dictionary(oddText, oddText, { maxKeys: 3 }),
);

/** Every place in a parsed JSON value, as a path of keys and indexes. */
function jsonPaths(value: unknown, path: (string | number)[] = [], into: (string | number)[][] = []): (string | number)[][] {
  into.push(path);
  if (Array.isArray(value)) value.forEach((item, i) => jsonPaths(item, [...path, i], into));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) jsonPaths(item, [...path, key], into);
  return into;
}

function replaceAt(root: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy: unknown = structuredClone(root);
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  parent[path.at(-1)!] = replacement;
  return copy;
}

/** A JSON text's mutations: one value replaced by an odd one, cut text, spliced characters, numbers no parser can hold. */
export function jsonMutation(text: string): fc.Arbitrary<Mutated> {
  const parsed: unknown = JSON.parse(text);
  const paths = jsonPaths(parsed);
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(position, oddJsonValue).map(([fraction, value]) => ({ mutation: 'json value', body: Buffer.from(JSON.stringify(replaceAt(parsed, paths[Math.floor(fraction * paths.length)]!, value))) })) },
    position.map((fraction) => ({ mutation: 'json truncation', body: Buffer.from(text.slice(0, Math.floor(fraction * text.length))) })),
    fc.tuple(position, fc.oneof(oddText, fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\u00', '1e99999', '-', '9'.repeat(400)))).map(([fraction, inserted]) => {
      const cut = Math.floor(fraction * text.length);
      return { mutation: 'json splice', body: Buffer.from(text.slice(0, cut) + inserted + text.slice(cut)) };
    }),
    fc.integer({ min: 90, max: 2_000 }).map((depth) => ({ mutation: 'deep nesting', body: Buffer.from(deeplyNestedTracesJson(depth)) })),
  );
}

/** JSON log lines: the JSON mutations of one line, deep objects, and lines that are no JSON at all. */
export function jsonLinesMutation(text: string): fc.Arbitrary<Mutated> {
  const [first = '{}', ...rest] = text.split('\n');
  return fc.oneof(
    jsonMutation(first).map(({ mutation, body }) => ({ mutation, body: Buffer.from([body.toString(), ...rest].join('\n')) })),
    fc.integer({ min: 90, max: 8_000 }).map((depth) => ({ mutation: 'deep nesting', body: Buffer.from(deeplyNestedLogLine(depth)) })),
    fc.array(oddText, { minLength: 1, maxLength: 5 }).map((lines) => ({ mutation: 'not json', body: Buffer.from(lines.join('\n')) })),
  );
}

/** gzip bodies whose `Content-Encoding: gzip` is a lie, whose bytes are corrupt, or which inflate far beyond their size. */
export function gzipMutation(body: Buffer, maxBodyBytes: number): fc.Arbitrary<Mutated> {
  const gzipped = gzipSync(body);
  return fc.oneof(
    byteMutation(gzipped).map(({ mutation, body: corrupt }) => ({ mutation: `gzip ${mutation}`, body: corrupt })),
    fc.constant({ mutation: 'not gzip', body }),
    fc.constantFrom(maxBodyBytes - 1, maxBodyBytes + 1, maxBodyBytes * 4).map((size) => ({ mutation: size > maxBodyBytes ? 'gzip bomb over the limit' : 'gzip bomb within the limit', body: gzipSync(Buffer.alloc(size)) })),
  );
}
