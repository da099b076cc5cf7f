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

  it('stops with a message naming the variable when a value is wrong', () => {
    expect(() => loadConfig({ FAULTLINE_OTLP_PORT: 'http' })).toThrow(/FAULTLINE_OTLP_PORT/);
    expect(() => loadConfig({ CLICKHOUSE_DATABASE: 'my-db' })).toThrow(/CLICKHOUSE_DATABASE: must be a plain identifier/);
    expect(() => loadConfig({ CLICKHOUSE_URL: 'not a url' })).toThrow(/CLICKHOUSE_URL/);
  });

  it('refuses a cluster without a server', () => {
    expect(() => loadConfig({ CLICKHOUSE_CLUSTER: 'main' })).toThrow(/CLICKHOUSE_CLUSTER: needs CLICKHOUSE_URL/);
  });
});
