/**
 * The bytes around a query: the request body (gzip, deflate or br, under the body cap after
 * decompression too), the answer's compression (`enable_http_compression=1` and an Accept-Encoding
 * naming gzip, deflate or br), and the Content-Type ClickHouse gives each output format.
 */
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, brotliDecompress, deflate, gunzip, gzip, inflate } from 'node:zlib';
import { ClickHouseException } from './errors';

const decoders = { gzip: promisify(gunzip), 'x-gzip': promisify(gunzip), deflate: promisify(inflate), br: promisify(brotliDecompress) } as const;
const encoders = { gzip: promisify(gzip), deflate: promisify(deflate), br: promisify(brotliCompress) } as const;

const tooLarge = (maxBytes: number) => new ClickHouseException(229, `The request body is larger than ${maxBytes} bytes (FAULTLINE_MAX_BODY_BYTES)`);

export async function readRequestBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const parts: Buffer[] = [];
  let total = 0;
  for await (const part of request as AsyncIterable<Buffer>) {
    total += part.length;
    if (total > maxBytes) throw tooLarge(maxBytes);
    parts.push(part);
  }
  const raw = Buffer.concat(parts);
  const encoding = String(request.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity' || raw.length === 0) return raw;
  const decode = decoders[encoding as keyof typeof decoders];
  if (!decode) throw new ClickHouseException(89, `Unknown HTTP compression method '${encoding}': this interface takes gzip, deflate and br`);
  try {
    return await decode(raw, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(maxBytes);
    throw new ClickHouseException(271, `Cannot decompress the request body (${encoding}): ${(error as Error).message}`);
  }
}

/** The first of gzip, deflate, br the client accepts (q=0 excluded), or undefined. */
export function responseEncoding(acceptEncoding: string | undefined): keyof typeof encoders | undefined {
  const accepted = new Set(
    (acceptEncoding ?? '')
      .split(',')
      .map((part) => part.trim().toLowerCase().split(';'))
      .filter(([, q]) => !q || !/^\s*q\s*=\s*0(\.0*)?\s*$/.test(q))
      .map(([name]) => name),
  );
  return (['gzip', 'deflate', 'br'] as const).find((name) => accepted.has(name));
}

export function encodeBody(body: Buffer, encoding: keyof typeof encoders, level?: number): Promise<Buffer> {
  if (encoding === 'br') return encoders.br(body);
  return encoders[encoding](body, level !== undefined && level >= 1 && level <= 9 ? { level } : {});
}

const contentTypes: [RegExp, string][] = [
  [/^(TabSeparated|TSV)/i, 'text/tab-separated-values; charset=UTF-8'],
  [/^CSV/i, 'text/csv; charset=UTF-8; header=absent'],
  [/^JSON(Compact)?(Strings)?EachRow/i, 'application/x-ndjson; charset=UTF-8'],
  [/^(JSON|NDJSON)/i, 'application/json; charset=UTF-8'],
  [/^(RowBinary|Native|Parquet|Arrow|ArrowStream|ORC|Avro|Protobuf|CapnProto|MsgPack|BSONEachRow)/i, 'application/octet-stream'],
  [/^XML/i, 'application/xml; charset=UTF-8'],
];

export function contentTypeOf(format: string): string {
  if (/^CSVWithNames/i.test(format)) return 'text/csv; charset=UTF-8; header=present';
  return contentTypes.find(([pattern]) => pattern.test(format))?.[1] ?? 'text/plain; charset=UTF-8';
}
