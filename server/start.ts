/**
 * `npm start`: Faultline on the embedded store — collector and dashboard in one process — with
 * the demo shop and a gentle load beside it, so there are live traces within a minute.
 * FAULTLINE_DEMO=0 starts Faultline alone; DEMO_LOAD_RPS sets the load (default 2); the demo's port
 * variables (GATEWAY_PORT…, see demo-services/README.md) move its processes as for `npm run demo`.
 * Ctrl-C (or SIGTERM) stops every process it started.
 */
import { stopOnSignals } from './stopOnSignals';
import { loadDemoConfig } from '../demo-services/shared/config';
import { ensureDashboardBuild } from './ensureDashboardBuild';
import { startStack } from './stack';

ensureDashboardBuild();
const withDemo = process.env.FAULTLINE_DEMO !== '0';
const loadRps = Number(process.env.DEMO_LOAD_RPS ?? 2);
if (withDemo) console.log('Starting Faultline, the demo shop (broker + 6 services) and a gentle load…');
const demoConfig = loadDemoConfig();
const stack = await startStack({ demo: withDemo ? { loadRps, ports: demoConfig.ports, protocol: demoConfig.otlpProtocol } : false });

console.log(`
  Faultline is running on the embedded store in ${stack.config.dataDir}

  Dashboard     ${stack.uiUrl}
  OTLP/HTTP     ${stack.otlpEndpoint}  (/v1/traces, /v1/logs, /v1/metrics, /v1/logs/json)
  OTLP/gRPC     ${stack.otlpGrpcEndpoint}
  Zipkin        ${stack.zipkinEndpoint}  (Zipkin v2, JSON or protobuf)
  Jaeger API    ${stack.jaegerUrl}  (Grafana's Jaeger data source, Jaeger UI: docs/jaeger.md)

  Point any OpenTelemetry SDK at it:
    OTEL_EXPORTER_OTLP_ENDPOINT=${stack.otlpEndpoint}
    OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
${
  stack.demo
    ? `
  Demo shop     ${stack.demo.gatewayUrl}/api/products  (load: ${loadRps} req/s, telemetry over ${demoConfig.otlpProtocol === 'grpc' ? 'OTLP/gRPC' : 'OTLP/HTTP'})
  Break it      npm run chaos -- paymentProviderFailure 1 --for 60s
`
    : ''
}
  Ctrl-C stops everything.
`);
stopOnSignals(() => stack.stop());
