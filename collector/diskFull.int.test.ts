import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GET as health } from '../app/api/health/route';
import { GET as services } from '../app/api/services/route';
import type { Health } from '../lib/contract/health';
import type { ServiceSummary } from '../lib/contract/services';
import { hostIngestStatus, hostStore } from '../lib/host';
import { startTestFaultline, type TestFaultline } from '../tests/support/faultline';
import { fetchBody } from '../tests/support/otlpBodies';
import { serviceTraces, spansPerRequest, storedServices } from '../tests/support/outage';

/** A small disk of its own: a tmpfs mounted for this file, as root (CI runs as root) or through `sudo -n`. */
const base = mkdtempSync(join(tmpdir(), 'faultline-full-'));
const disk = join(base, 'disk');
const filler = join(disk, 'filler');
mkdirSync(disk);
const privileged = (command: string, ...args: string[]) =>
  process.getuid?.() === 0 ? execFileSync(command, args, { stdio: 'pipe' }) : execFileSync('sudo', ['-n', command, ...args], { stdio: 'pipe' });
const cannotMount = (() => {
  try {
    privileged('mount', '-t', 'tmpfs', '-o', `size=96m,mode=700,uid=${process.getuid?.()},gid=${process.getgid?.()}`, 'tmpfs', disk);
    return undefined;
  } catch (error) {
    rmSync(base, { recursive: true, force: true });
    return `mounting a tmpfs is not permitted here (${String(error).split('\n')[0]})`;
  }
})();
if (cannotMount) console.warn(`collector/diskFull.int.test.ts skipped: ${cannotMount}`);

let faultline: TestFaultline;
beforeAll(async () => {
  if (cannotMount) return;
  faultline = await startTestFaultline({ FAULTLINE_DATA_DIR: join(disk, 'data') });
  // As `npm start` does: the dashboard's routes read this store and this collector's inserts.
  hostStore(faultline.store);
  hostIngestStatus(() => faultline.collector.pipeline.metrics.ingestStatus());
});
afterAll(async () => {
  hostIngestStatus(undefined);
  hostStore(undefined);
  await faultline?.stop();
  if (!cannotMount) privileged('umount', disk);
  rmSync(base, { recursive: true, force: true });
});

function send(service: string) {
  return fetch(`${faultline.otlpEndpoint}/v1/traces`, { method: 'POST', headers: { 'Content-Type': 'application/x-protobuf' }, body: fetchBody(serviceTraces(service)) });
}

/** Writes into the tmpfs until it has no byte left. */
function fillDisk(): void {
  for (const size of [1 << 20, 4096, 1]) {
    const chunk = Buffer.alloc(size, 7);
    try {
      for (;;) appendFileSync(filler, chunk);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
    }
  }
}

/** The services the dashboard's overview lists for the last hour: it reads every span acknowledged before it. */
async function listedServices(): Promise<{ status: number; services: string[] }> {
  const now = Date.now();
  const read = await services(new Request(`http://dashboard/api/services?from=${now - 3_600_000}&to=${now}`), { params: Promise.resolve({}) });
  return { status: read.status, services: ((await read.json()) as { services: ServiceSummary[] }).services.map((row) => row.service) };
}

async function dashboardHealth(): Promise<Health> {
  return (await health(new Request('http://dashboard/api/health'), { params: Promise.resolve({}) })).json();
}

describe.skipIf(cannotMount !== undefined)(`a full disk under the store${cannotMount ? ` (skipped: ${cannotMount})` : ''}`, () => {
  it('is answered 503 with Retry-After; the dashboard still reads and says ingestion fails; freed, ingestion resumes with nothing acknowledged lost', async () => {
    const acknowledged: string[] = [];
    const sendAndNote = async (service: string) => {
      const response = await send(service);
      if (response.status === 200) acknowledged.push(service);
      return response;
    };
    expect((await sendAndNote('full-before')).status).toBe(200);
    expect((await dashboardHealth()).ingest).toMatchObject({ failing: false, lastFailure: null });
    expect((await listedServices()).services).toContain('full-before');

    fillDisk();
    const whileFull = [];
    for (let i = 0; i < 5; i++) whileFull.push(await sendAndNote(`full-during-${i}`));
    const statuses = whileFull.map((response) => response.status);
    // A request may still fit in what the store had reserved; once the disk refuses, never a 500.
    expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
    const refused = whileFull.filter((response) => response.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const response of refused) {
      expect(response.headers.get('retry-after')).toBe('5');
      expect(await response.text()).toMatch(/ClickHouse has no disk space left/);
    }

    const failing = await dashboardHealth();
    console.log(`disk full figures: answers while full ${statuses.join(', ')}; the dashboard's health says ${JSON.stringify(failing.ingest)}`);
    expect(failing.ingest).toMatchObject({ failing: true, lastFailure: { code: 'FAULTLINE_ERR_STORE_FULL' } });
    expect(await listedServices()).toMatchObject({ status: 200, services: expect.arrayContaining(['full-before']) });

    rmSync(filler);
    const resumed = await sendAndNote('full-after');
    expect(resumed.status).toBe(200);
    expect((await dashboardHealth()).ingest).toMatchObject({ failing: false });
    const stored = await storedServices(faultline, 'full-');
    expect([...stored.keys()].sort()).toEqual(acknowledged.sort());
    expect([...stored.values()].every((count) => count === spansPerRequest)).toBe(true);
  });
});
