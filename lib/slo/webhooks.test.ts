import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { deliver, WebhookQueue, type Delivery } from './webhooks';

const fast = { attempts: 4, firstDelayMs: 10, maxDelayMs: 40, timeoutMs: 2_000 };
let server: Server | undefined;

/** A receiver that answers each request with the next status of `statuses` (the last one repeats). */
async function receiver(statuses: number[]) {
  const bodies: unknown[] = [];
  const times: number[] = [];
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      bodies.push(JSON.parse(body));
      times.push(Date.now());
      response.writeHead(statuses[Math.min(bodies.length - 1, statuses.length - 1)] as number).end();
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies, times };
}

afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

describe('webhook delivery', () => {
  it('retries a 503 with growing delays until it is accepted', async () => {
    const hook = await receiver([503, 503, 200]);
    const delivery = await deliver({ url: hook.url }, { status: 'firing' }, fast);
    expect(delivery).toEqual({ url: hook.url, ok: true, attempts: 3, status: 200 });
    expect(hook.bodies).toEqual([{ status: 'firing' }, { status: 'firing' }, { status: 'firing' }]);
    const [first, second, third] = hook.times as [number, number, number];
    expect(second - first).toBeGreaterThanOrEqual(9);
    expect(third - second).toBeGreaterThanOrEqual(19);
  });

  it('gives up at once on a 400, which asking again cannot fix', async () => {
    const hook = await receiver([400]);
    expect(await deliver({ url: hook.url }, {}, fast)).toMatchObject({ ok: false, attempts: 1, status: 400 });
  });

  it('stops after the last attempt when nobody listens', async () => {
    const hook = await receiver([200]);
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    const delivery = await deliver({ url: hook.url }, {}, fast);
    expect(delivery).toMatchObject({ ok: false, attempts: 4 });
    expect(delivery.error).toBeTruthy();
  });

  it('keeps one receiver’s notifications in order', async () => {
    const hook = await receiver([503, 200]);
    const deliveries: Delivery[] = [];
    const queue = new WebhookQueue(fast, (delivery) => deliveries.push(delivery));
    queue.send([{ url: hook.url }], { status: 'firing' });
    queue.send([{ url: hook.url }], { status: 'resolved' });
    await queue.drain();
    expect(hook.bodies).toEqual([{ status: 'firing' }, { status: 'firing' }, { status: 'resolved' }]);
    expect(deliveries.map((d) => d.attempts)).toEqual([2, 1]);
  });
});
