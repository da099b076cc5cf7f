import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

describe('configuration from the environment', () => {
  it('defaults to the embedded store in ./data with the standard ports', () => {
    const config = loadConfig({});
    expect(config.clickhouse).toEqual({ url: undefined, user: 'default', password: '', database: 'faultline', cluster: undefined });
    expect([config.dataDir, config.otlp.port, config.ui.port, config.retentionDays]).toEqual(['./data', 4318, 3000, 7]);
  });

  it('puts the Zipkin receiver on 127.0.0.1:9411 unless FAULTLINE_ZIPKIN_HOST / FAULTLINE_ZIPKIN_PORT say otherwise', () => {
    expect(loadConfig({}).zipkin).toEqual({ host: '127.0.0.1', port: 9411 });
    expect(loadConfig({ FAULTLINE_ZIPKIN_HOST: '0.0.0.0', FAULTLINE_ZIPKIN_PORT: '19411' }).zipkin).toEqual({ host: '0.0.0.0', port: 19411 });
    expect(() => loadConfig({ FAULTLINE_ZIPKIN_PORT: '70000' })).toThrow(/FAULTLINE_ZIPKIN_PORT/);
  });

  it('listens for OTLP/gRPC on 127.0.0.1:4317 unless FAULTLINE_OTLP_GRPC_HOST/PORT say otherwise', () => {
    expect(loadConfig({}).otlp).toMatchObject({ grpcHost: '127.0.0.1', grpcPort: 4317 });
    expect(loadConfig({ FAULTLINE_OTLP_GRPC_HOST: '0.0.0.0', FAULTLINE_OTLP_GRPC_PORT: '14317' }).otlp).toMatchObject({ grpcHost: '0.0.0.0', grpcPort: 14317 });
    expect(() => loadConfig({ FAULTLINE_OTLP_GRPC_PORT: 'grpc' })).toThrow(/FAULTLINE_OTLP_GRPC_PORT/);
  });

  it('turns on TLS with a certificate and its key (and mutual TLS with a client CA), never with half of them', () => {
    expect(loadConfig({}).tls).toBeUndefined();
    expect(loadConfig({ FAULTLINE_TLS_CERT_FILE: 'c.pem', FAULTLINE_TLS_KEY_FILE: 'k.pem' }).tls).toEqual({ certFile: 'c.pem', keyFile: 'k.pem', clientCaFile: undefined });
    expect(loadConfig({ FAULTLINE_TLS_CERT_FILE: 'c.pem', FAULTLINE_TLS_KEY_FILE: 'k.pem', FAULTLINE_TLS_CLIENT_CA_FILE: 'ca.pem' }).tls).toMatchObject({ clientCaFile: 'ca.pem' });
    expect(() => loadConfig({ FAULTLINE_TLS_CERT_FILE: 'c.pem' })).toThrow(/FAULTLINE_TLS_KEY_FILE/);
    expect(() => loadConfig({ FAULTLINE_TLS_CLIENT_CA_FILE: 'ca.pem' })).toThrow(/FAULTLINE_TLS_CLIENT_CA_FILE needs them/);
  });

  it('switches to a server with CLICKHOUSE_URL', () => {
    expect(loadConfig({ CLICKHOUSE_URL: 'http://ch:8123', CLICKHOUSE_CLUSTER: 'main' }).clickhouse).toMatchObject({ url: 'http://ch:8123', cluster: 'main' });
  });

  it('reads the batching settings, FAULTLINE_BATCH_IDLE_MS and FAULTLINE_BATCH_RETURN_GAP_MS included', () => {
    expect(loadConfig({}).batch).toEqual({ minRows: 20_000, maxRows: 100_000, maxDelayMs: 2_000, idleMs: 250, returnGapMs: 20, maxConcurrentInserts: 1 });
    expect(loadConfig({ FAULTLINE_BATCH_IDLE_MS: '100', FAULTLINE_BATCH_RETURN_GAP_MS: '5' }).batch).toMatchObject({ idleMs: 100, returnGapMs: 5 });
    expect(() => loadConfig({ FAULTLINE_BATCH_IDLE_MS: '0' })).toThrow(/FAULTLINE_BATCH_IDLE_MS/);
  });

  it('looks up spans sent again for 300 s after an unclean stop unless FAULTLINE_CRASH_DEDUP_SECONDS says otherwise (0: never)', () => {
    expect(loadConfig({}).crashDedupMs).toBe(300_000);
    expect(loadConfig({ FAULTLINE_CRASH_DEDUP_SECONDS: '0' }).crashDedupMs).toBe(0);
    expect(() => loadConfig({ FAULTLINE_CRASH_DEDUP_SECONDS: '-1' })).toThrow(/FAULTLINE_CRASH_DEDUP_SECONDS/);
  });

  it('serves the Jaeger query API on 127.0.0.1:16686 unless FAULTLINE_JAEGER_HOST / FAULTLINE_JAEGER_PORT say otherwise', () => {
    expect(loadConfig({}).jaeger).toEqual({ host: '127.0.0.1', port: 16686 });
    expect(loadConfig({ FAULTLINE_JAEGER_HOST: '0.0.0.0', FAULTLINE_JAEGER_PORT: '26686' }).jaeger).toEqual({ host: '0.0.0.0', port: 26686 });
    expect(() => loadConfig({ FAULTLINE_JAEGER_PORT: '70000' })).toThrow(/FAULTLINE_JAEGER_PORT/);
  });

  it("serves ClickHouse's HTTP interface on 127.0.0.1:8123 with a read-only user, an admin only with a password, and limits", () => {
    expect(loadConfig({}).clickhouseHttp).toEqual({
      host: '127.0.0.1',
      port: 8123,
      password: '',
      adminPassword: undefined,
      maxExecutionSeconds: 30,
      maxResultRows: 1_000_000,
      maxResultBytes: 128 * 1024 * 1024,
      maxMemoryBytes: 2 * 1024 * 1024 * 1024,
      maxConcurrentQueries: 2,
      maxQueuedQueries: 64,
    });
    const custom = loadConfig({
      FAULTLINE_CLICKHOUSE_HTTP_HOST: '0.0.0.0',
      FAULTLINE_CLICKHOUSE_HTTP_PORT: '18123',
      FAULTLINE_CLICKHOUSE_HTTP_PASSWORD: 'r',
      FAULTLINE_CLICKHOUSE_HTTP_ADMIN_PASSWORD: 'a',
      FAULTLINE_CLICKHOUSE_HTTP_MAX_EXECUTION_SECONDS: '5',
      FAULTLINE_CLICKHOUSE_HTTP_MAX_QUEUED_QUERIES: '0',
    }).clickhouseHttp;
    expect(custom).toMatchObject({ host: '0.0.0.0', port: 18123, password: 'r', adminPassword: 'a', maxExecutionSeconds: 5, maxQueuedQueries: 0 });
    expect(() => loadConfig({ FAULTLINE_CLICKHOUSE_HTTP_MAX_RESULT_ROWS: '0' })).toThrow(/FAULTLINE_CLICKHOUSE_HTTP_MAX_RESULT_ROWS/);
  });

  it('stops with a message naming the variable when a value is wrong', () => {
    expect(() => loadConfig({ FAULTLINE_OTLP_PORT: 'http' })).toThrow(/FAULTLINE_OTLP_PORT/);
    expect(() => loadConfig({ CLICKHOUSE_DATABASE: 'my-db' })).toThrow(/CLICKHOUSE_DATABASE: must be a plain identifier/);
    expect(() => loadConfig({ CLICKHOUSE_URL: 'not a url' })).toThrow(/CLICKHOUSE_URL/);
  });

  it('refuses a cluster without a server', () => {
    expect(() => loadConfig({ CLICKHOUSE_CLUSTER: 'main' })).toThrow(/CLICKHOUSE_CLUSTER: needs CLICKHOUSE_URL/);
  });

  it('reads who may use the dashboard: a password, a proxy header from listed addresses, or none on purpose', () => {
    expect(loadConfig({}).ui.auth).toEqual({ password: undefined, trustedHeader: undefined, none: false });
    expect(loadConfig({ FAULTLINE_UI_PASSWORD: 's3cret', FAULTLINE_UI_AUTH: '' }).ui.auth).toMatchObject({ password: 's3cret', none: false });
    expect(loadConfig({ FAULTLINE_UI_TRUSTED_HEADER: 'X-Forwarded-User', FAULTLINE_UI_TRUSTED_PROXIES: '10.0.0.0/8, ::1' }).ui.auth.trustedHeader).toEqual({
      name: 'x-forwarded-user',
      proxies: ['10.0.0.0/8', '::1'],
    });
    expect(loadConfig({ FAULTLINE_UI_AUTH: 'none' }).ui.auth.none).toBe(true);
  });

  it('refuses dashboard access settings that cannot work', () => {
    expect(() => loadConfig({ FAULTLINE_UI_TRUSTED_HEADER: 'X-Forwarded-User' })).toThrow(/FAULTLINE_UI_TRUSTED_HEADER and FAULTLINE_UI_TRUSTED_PROXIES go together/);
    expect(() => loadConfig({ FAULTLINE_UI_TRUSTED_HEADER: 'X-User', FAULTLINE_UI_TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(/FAULTLINE_UI_TRUSTED_PROXIES/);
    expect(() => loadConfig({ FAULTLINE_UI_TRUSTED_HEADER: 'X-User', FAULTLINE_UI_TRUSTED_PROXIES: 'proxy.local' })).toThrow(/FAULTLINE_UI_TRUSTED_PROXIES/);
    expect(() => loadConfig({ FAULTLINE_UI_AUTH: 'off' })).toThrow(/FAULTLINE_UI_AUTH/);
    expect(() => loadConfig({ FAULTLINE_UI_AUTH: 'none', FAULTLINE_UI_PASSWORD: 'x' })).toThrow(/FAULTLINE_UI_AUTH=none contradicts/);
  });
});
