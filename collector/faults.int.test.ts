import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, request as httpRequest } from 'node:http';
import { startCollector } from './collector';
import { startTestFaultline, type TestFaultline } from '../tests/support/faultline';
import { fetchBody, makeSpans, tracesProtobuf } from '../tests/support/otlpBodies';
import { attachTraces, detachTraces, expectAcknowledgedStoredOnce, serviceTraces, storedServices } from '../tests/support/outage';

let faultline: TestFaultline;

beforeAll(async () => {
  faultline = await startTestFaultline();
});
afterAll(async () => {
  await faultline.stop();
});

const protobuf = { 'Content-Type': 'application/x-protobuf' };

function sendService(service: string, url = faultline.otlpEndpoint) {
  return fetch(`${url}/v1/traces`, { method: 'POST', headers: protobuf, body: fetchBody(serviceTraces(service)) });
}

/** Sends only the headers of a request announcing `length` body bytes; resolves with the status. */
/**
 * Starts a POST whose body never finishes — its length declared and nothing sent, or the first chunk of
 * an undeclared (chunked) body sent — and resolves with the status the collector answers meanwhile.
 */
function postUnfinishedBody(url: string, start: { declaredLength: number } | { firstChunk: Buffer }): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${url}/v1/traces`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-protobuf', ...('declaredLength' in start ? { 'Content-Length': String(start.declaredLength) } : {}) },
    });
    request.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
      request.destroy();
    });
    request.on('error', reject);
    if ('firstChunk' in start) request.write(start.firstChunk);
    else request.flushHeaders();
  });
}

/** POSTs the whole of `body` with its length declared through `agent`; resolves with the status (or the error code) and whether an earlier connection was reused. */
function postWhole(url: string, body: Buffer, agent: Agent): Promise<[number | string, boolean]> {
  return new Promise((resolve) => {
    let outcome: number | string = 'no answer';
    const request = httpRequest(`${url}/v1/traces`, { method: 'POST', agent, headers: { ...protobuf, 'Content-Length': String(body.length) } }, (response) => {
      response.resume();
      response.on('end', () => (outcome = response.statusCode ?? 0));
    });
    request.on('error', (error: NodeJS.ErrnoException) => (outcome = error.code ?? error.message));
    request.on('close', () => resolve([outcome, request.reusedSocket]));
    request.end(body);
  });
}

const detach = () => detachTraces(faultline);
const attach = () => attachTraces(faultline);

describe('when ClickHouse fails', () => {
  it('the collector answers 503 with Retry-After and stores nothing of those requests', async () => {
    await detach();
    try {
      const response = await sendService('down-0');
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
    } finally {
      await attach();
    }
    expect(await storedServices(faultline, 'down-')).toEqual(new Map());
    expect((await sendService('down-1')).status).toBe(200);
  });

  it('every request answered 200 while the store came and went is in the store, complete, exactly once', async () => {
    await expectAcknowledgedStoredOnce(faultline, 'flaky-', async (service) => {
      const response = await sendService(service);
      await response.arrayBuffer();
      if (response.status !== 200 && response.status !== 503) throw new Error(`unexpected status ${response.status}`);
      return response.status === 200 ? 'acknowledged' : 'refused';
    });
  });
});

describe('when the in-flight memory limit is reached', () => {
  /**
   * A collector whose in-flight limit holds four of `body`, its batches held `holdMs`; `first` is a POST
   * of `body` that it holds.
   */
  async function startHoldingCollector(body: Buffer, holdMs: number) {
    const limited = await startCollector(faultline.store, {
      ...faultline.config,
      otlp: { ...faultline.config.otlp, port: 0, maxInflightBytes: body.length * 4 },
      batch: { ...faultline.config.batch, minRows: 100_000, maxRows: 100_000, maxDelayMs: holdMs, idleMs: holdMs, maxConcurrentInserts: 1 },
    });
    const post = () => fetch(`${limited.url}/v1/traces`, { method: 'POST', headers: protobuf, body: fetchBody(body) });
    const first = post();
    while (limited.pipeline.inflightBytes === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    return { limited, post, first };
  }

  it('a request is refused with 429 and Retry-After instead of queueing (before the rest of its body is read), and accepted again later', async () => {
    const body = tracesProtobuf(makeSpans({ service: 'limited', spans: 50 }));
    const { limited, post, first } = await startHoldingCollector(body, 400);
    try {
      const second = await post();
      expect(second.status).toBe(429);
      expect(second.headers.get('retry-after')).toBe('1');
      expect(await postUnfinishedBody(limited.url, { declaredLength: body.length })).toBe(429);
      // Chunked, the body declares no size: it is refused once what has arrived can't fit.
      expect(await postUnfinishedBody(limited.url, { firstChunk: body.subarray(0, body.length / 2) })).toBe(429);
      expect((await first).status).toBe(200);
      expect((await post()).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });

  it('a refused body bigger than the socket buffers still gets its 429, not a connection reset', async () => {
    const { limited, first } = await startHoldingCollector(tracesProtobuf(makeSpans({ service: 'held', spans: 50 })), 1_000);
    try {
      // Refused by its declared size before a byte of it is read, the rest read and dropped: the
      // answer arrives whole and the same connection carries the next request.
      const big = Buffer.alloc(8 * 1024 * 1024, 1);
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await postWhole(limited.url, big, agent));
      agent.destroy();
      expect(answers).toEqual([
        [429, false],
        [429, true],
        [429, true],
      ]);
      expect((await first).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });
});
