/**
 * The demo shop exporting into a real Faultline (collector + embedded ClickHouse), and the findings
 * of a time range read straight from that store, for the tests that hold the detectors to the demo.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePorts, startDemo, type RunningDemo } from '../../demo-services/run';
import { listFindings } from '../../lib/findings/findings';
import type { Finding } from '../../lib/contract/findings';
import { startTestFaultline, type TestFaultline } from '../support/faultline';

export type DemoInFaultline = {
  faultline: TestFaultline;
  demo: RunningDemo;
  findings(from: number, to?: number): Promise<Finding[]>;
  stop(): Promise<void>;
};

export async function startDemoInFaultline(load: { rps: number } | false): Promise<DemoInFaultline> {
  const faultline = await startTestFaultline();
  const dataDir = mkdtempSync(join(tmpdir(), 'faultline-findings-demo-'));
  const removeAll = async () => {
    await faultline.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const demo = await startDemo({ otlpEndpoint: faultline.otlpEndpoint, dataDir, ports: await findFreePorts(), load }).catch(async (error: unknown) => {
    await removeAll();
    throw error;
  });
  return {
    faultline,
    demo,
    findings: async (from, to = Date.now()) => (await listFindings(faultline.store, { from, to })).findings,
    async stop() {
      await demo.stop();
      await removeAll();
    },
  };
}
