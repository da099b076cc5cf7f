/** Answers a failed ingest request, whatever the protocol: its status, Retry-After when retryable, and the connection's fate; returns what was answered. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { classify, type CollectorError } from '../errors';

export type FailureBody = { contentType: string; body: Buffer };

export function answerFailure(request: IncomingMessage, response: ServerResponse, error: unknown, render: (failure: CollectorError) => FailureBody): CollectorError {
  const failure = classify(error);
  if (failure.retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(failure.retryAfterSeconds));
  if (failure.status === 413) response.setHeader('Connection', 'close');
  const { contentType, body } = render(failure);
  response.writeHead(failure.status, { 'Content-Type': contentType, 'Content-Length': body.length });
  response.end(body);
  if (!request.complete && (failure.status === 413 || !Number.isFinite(Number(request.headers['content-length'])))) {
    // Too large, or of no declared size: the rest is not worth reading, so the connection goes. A
    // request whose reading was broken off has already let go of its socket, and the response lets
    // go once it finishes.
    const socket = response.socket;
    response.on('finish', () => socket?.destroySoon());
  }
  // A refused body of declared size under the limit (429, 401, 415…) is read and discarded by Node
  // once the answer is sent, and the connection stays usable. Closed with those bytes unread, the
  // kernel would answer them with a reset, which can destroy the answer before the client reads it:
  // a sender under overload would see ECONNRESET instead of 429 and Retry-After.
  return failure;
}
