import { describe, expect, it } from 'vitest';
import { effectiveSettings, readRequestParams } from './requestParams';
import { authenticate } from './users';

const limits = { maxExecutionSeconds: 30, maxResultRows: 1000, maxResultBytes: 1 << 20, maxMemoryBytes: 1 << 30 };

describe('request parameters', () => {
  it('sorts the URL into the query, HTTP options, param_ values and settings', () => {
    const read = readRequestParams(
      new URL('http://h/?query=SELECT%201&database=system&default_format=JSON&user=u&password=p&query_id=q&param_x=1&max_threads=2&enable_http_compression=1&wait_end_of_query=1'),
    );
    expect(read).toMatchObject({ query: 'SELECT 1', database: 'system', defaultFormat: 'JSON', queryId: 'q', compressResponse: true, credentials: { user: 'u', password: 'p' } });
    expect([...read.params]).toEqual([['x', '1']]);
    expect([...read.settings]).toEqual([['max_threads', '2']]);
    expect(() => readRequestParams(new URL('http://h/?bad-name=1'))).toThrow(/Unknown setting/);
    expect(() => readRequestParams(new URL('http://h/?session_id=s'))).toThrow(/Sessions/);
    expect(() => readRequestParams(new URL('http://h/?compress=1'))).toThrow(/native compression/);
  });

  it('caps the limits at their ceilings, lets a client ask for less, and never lowers readonly', () => {
    const settings = (asked: Record<string, string>, readonly: 0 | 1 | 2) => Object.fromEntries(effectiveSettings(new Map(Object.entries(asked)), limits, readonly));
    expect(settings({}, 1)).toEqual({
      max_execution_time: '30',
      max_result_rows: '1000',
      max_result_bytes: String(1 << 20),
      max_memory_usage: String(1 << 30),
      result_overflow_mode: 'throw',
      readonly: '1',
    });
    expect(settings({ max_memory_usage: '0' }, 1).max_memory_usage).toBe(String(1 << 30));
    expect(settings({ max_execution_time: '600', max_result_rows: '10', result_overflow_mode: 'break' }, 0)).toMatchObject({ max_execution_time: '30', max_result_rows: '10', result_overflow_mode: 'break', readonly: '0' });
    expect(settings({ max_execution_time: '0' }, 0).max_execution_time).toBe('30');
    expect(settings({ readonly: '0' }, 1).readonly).toBe('1');
    expect(settings({ readonly: '2' }, 1).readonly).toBe('1');
    expect(settings({ readonly: '1' }, 2).readonly).toBe('1');
    expect(settings({ readonly: '2' }, 0).readonly).toBe('2');
    expect(effectiveSettings(new Map([['readonly', '0'], ['max_threads', '1']]), limits, 1).at(-1)).toEqual(['readonly', '1']);
  });
});

describe('users', () => {
  const passwords = { defaultPassword: '', adminPassword: 'secret' };
  const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

  it('knows the read-only default user and the admin, by basic auth, X-ClickHouse headers or URL parameters', () => {
    expect(authenticate({}, {}, passwords)).toEqual({ name: 'default', readonly: true });
    expect(authenticate(basic('admin', 'secret'), {}, passwords)).toEqual({ name: 'admin', readonly: false });
    expect(authenticate({ 'x-clickhouse-user': 'admin', 'x-clickhouse-key': 'secret' }, {}, passwords).name).toBe('admin');
    expect(authenticate({}, { user: 'admin', password: 'secret' }, passwords).name).toBe('admin');
  });

  it('refuses a wrong password, an unknown user, an admin without a password set, and two ways at once', () => {
    const code = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return (error as { code: number }).code;
      }
    };
    expect(code(() => authenticate(basic('admin', 'guess'), {}, passwords))).toBe(516);
    expect(code(() => authenticate(basic('root', ''), {}, passwords))).toBe(516);
    expect(code(() => authenticate(basic('default', 'x'), {}, passwords))).toBe(516);
    expect(code(() => authenticate(basic('admin', ''), {}, { defaultPassword: '' }))).toBe(516);
    expect(code(() => authenticate(basic('admin', 'secret'), { user: 'admin', password: 'secret' }, passwords))).toBe(516);
  });
});
