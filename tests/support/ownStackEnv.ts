/** Faultline's settings for a stack of its own: its data directory, and every listener on a port the system picks. */
export function ownStackEnv(dataDir: string): Record<string, string> {
  return {
    FAULTLINE_DATA_DIR: dataDir,
    FAULTLINE_UI_PORT: '0',
    FAULTLINE_OTLP_PORT: '0',
    FAULTLINE_OTLP_GRPC_PORT: '0',
    FAULTLINE_ZIPKIN_PORT: '0',
    FAULTLINE_JAEGER_PORT: '0',
    FAULTLINE_CLICKHOUSE_HTTP_PORT: '0',
  };
}
