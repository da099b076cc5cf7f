/**
 * A detector that cries wolf is worse than none: the healthy demo, every flag off, under its default
 * load (2 customer actions a second, as `npm start` runs it), must produce no warning or critical
 * finding. It runs FAULTLINE_QUIET_MINUTES (default 10) and reads the findings once a minute over
 * everything since the demo started, failing on the first one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoInFaultline, type DemoInFaultline } from './demoStack';

const minutes = Number(process.env.FAULTLINE_QUIET_MINUTES ?? 10);
const minuteMs = 60_000;

describe('the healthy demo', () => {
  let stack: DemoInFaultline;
  let started: number;

  beforeAll(async () => {
    started = Date.now();
    stack = await startDemoInFaultline({ rps: 2 });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it(`raises no warning or critical finding over ${minutes} minutes of default load`, async () => {
    for (let minute = 1; minute <= minutes; minute++) {
      await new Promise((resolve) => setTimeout(resolve, minuteMs));
      const alarms = (await stack.findings(started)).filter((finding) => finding.severity !== 'info');
      expect(alarms, `findings after ${minute} min`).toEqual([]);
    }
    // The quiet must come from a demo that was working, not from an empty store.
    const [row] = await stack.faultline.query<{ checkouts: string }>(
      `SELECT count() AS checkouts FROM faultline.otel_traces WHERE ServiceName = 'order' AND SpanName = 'inventory check availability'`,
    );
    expect(Number(row?.checkouts)).toBeGreaterThan(minutes * 10);
  }, (minutes + 2) * minuteMs);
});
