import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

describe('configuration from the environment', () => {
  it('defaults to the embedded store in ./data with the standard ports', () => {
    const config = loadConfig({});
    expect(config.clickhouse).toEqual({ url: undefined, user: 'default', password: '', database: 'faultline', cluster: undefined });
    expect([config.dataDir, config.otlp.port, config.ui.port, config.retentionDays]).toEqual(['./data', 4318, 3000, 7]);
  });

  it('switches to a server with CLICKHOUSE_URL', () => {
    expect(loadConfig({ CLICKHOUSE_URL: 'http://ch:8123', CLICKHOUSE_CLUSTER: 'main' }).clickhouse).toMatchObject({ url: 'http://ch:8123', cluster: 'main' });
  });

  it('reads the batching settings, FAULTLINE_BATCH_IDLE_MS and FAULTLINE_BATCH_RETURN_GAP_MS included', () => {
    expect(loadConfig({}).batch).toEqual({ minRows: 20_000, maxRows: 100_000, maxDelayMs: 2_000, idleMs: 250, returnGapMs: 20, maxConcurrentInserts: 1 });
    expect(loadConfig({ FAULTLINE_BATCH_IDLE_MS: '100', FAULTLINE_BATCH_RETURN_GAP_MS: '5' }).batch).toMatchObject({ idleMs: 100, returnGapMs: 5 });
    expect(() => loadConfig({ FAULTLINE_BATCH_IDLE_MS: '0' })).toThrow(/FAULTLINE_BATCH_IDLE_MS/);
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
