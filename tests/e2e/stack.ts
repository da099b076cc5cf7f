/**
 * The stack the browser tests run against, as its own process (`tsx tests/e2e/stack.ts`): the
 * collector and the dashboard over a fresh embedded store, the demo shop on free ports with a steady
 * load and 1 s metric exports, and beside the open dashboard a second one over the same store that
 * needs a password. Prints one `READY {json}` line with the URLs, stops on SIGTERM.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePorts } from '../../demo-services/run';
import { startDashboard } from '../../server/dashboardServer';
import { startStack } from '../../server/stack';

export type E2eStack = {
  uiUrl: string;
  /** The same dashboard with FAULTLINE_UI_PASSWORD set. */
  signInUi: { url: string; password: string };
  otlpEndpoint: string;
  gatewayUrl: string;
  adminUrls: Record<string, string>;
};

const dataDir = mkdtempSync(join(tmpdir(), 'faultline-e2e-'));
// The demo's SLOs, in a copy the tests may edit.
const sloFile = join(dataDir, 'faultline.slo.yaml');
copyFileSync('faultline.slo.yaml', sloFile);
const stack = await startStack({
  env: { FAULTLINE_DATA_DIR: dataDir, FAULTLINE_UI_PORT: '0', FAULTLINE_OTLP_PORT: '0', FAULTLINE_ZIPKIN_PORT: '0', FAULTLINE_OTLP_GRPC_PORT: '0', FAULTLINE_JAEGER_PORT: '0', FAULTLINE_SLO_INTERVAL_MS: '5000', FAULTLINE_SLO_FILE: sloFile },
  // The demo exports over OTLP/gRPC, as OTEL_EXPORTER_OTLP_PROTOCOL=grpc npm start does: every view
  // below is fed through the gRPC receiver.
  demo: { loadRps: 4, ports: await findFreePorts(), protocol: 'grpc', env: { OTEL_METRIC_EXPORT_INTERVAL: '1000' } },
});
const signInPassword = 'e2e sign-in passphrase';
const signInDashboard = await startDashboard({ host: '127.0.0.1', port: 0, auth: { password: signInPassword, none: false } });
const ready: E2eStack = {
  uiUrl: stack.uiUrl,
  signInUi: { url: signInDashboard.url, password: signInPassword },
  otlpEndpoint: stack.otlpEndpoint,
  gatewayUrl: stack.demo?.gatewayUrl ?? '',
  adminUrls: stack.demo?.adminUrls ?? {},
};
console.log(`READY ${JSON.stringify(ready)}`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  try {
    await signInDashboard.close();
    await stack.stop();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  }
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
