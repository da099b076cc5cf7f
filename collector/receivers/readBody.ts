/**
 * Reads a request body under the size cap, inflating gzip with the same cap on the result
 * (a small gzip body must not become gigabytes in memory).
 */
import type { IncomingMessage } from 'node:http';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { collectorErrors } from '../errors';
import type { Pipeline } from '../pipeline';

const gunzipAsync = promisify(gunzip);

/** `checkSoFar` hears the bytes read so far as they grow, and may refuse them by throwing. */
export async function readBody(request: IncomingMessage, maxBytes: number, checkSoFar: (bytes: number) => void): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw collectorErrors.tooLarge(maxBytes);
  const parts: Buffer[] = [];
  let total = 0;
  for await (const part of request as AsyncIterable<Buffer>) {
    total += part.length;
    if (total > maxBytes) throw collectorErrors.tooLarge(maxBytes);
    checkSoFar(total);
    parts.push(part);
  }
  const raw = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  if (encoding === 'identity' || encoding === '') return raw;
  if (encoding !== 'gzip') throw collectorErrors.unsupportedEncoding(encoding);
  try {
    return await gunzipAsync(raw, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw collectorErrors.tooLarge(maxBytes);
    throw collectorErrors.badRequest(`invalid gzip body: ${(error as Error).message}`);
  }
}

/** `readBody` under the pipeline's memory limit: refused (429) by the declared size, or as a chunked body grows. */
export function readAdmittedBody(request: IncomingMessage, pipeline: Pipeline, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared)) pipeline.checkCapacity(declared);
  return readBody(request, maxBytes, (bytesSoFar) => pipeline.checkCapacity(bytesSoFar));
}
