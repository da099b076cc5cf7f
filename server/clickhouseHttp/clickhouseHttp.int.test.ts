/**
 * ClickHouse's HTTP interface over a real embedded store: `@clickhouse/client` (the client Faultline's
 * server mode and many tools use) for queries, inserts, commands, ping, parameters, formats and
 * compression, as the read-only and the admin user; raw `fetch` for what a client library hides —
 * the headers, the exception text and status, refusals, authentication and the limits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ClickHouseLogLevel, createClient, TupleParam, type ClickHouseClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '@/lib/clickhouse/store';
import { createHttpWriter } from '@/lib/clickhouse/writer';
import { loadConfig, ConfigError } from '@/lib/config';
import { RowBinaryWriter } from '@/lib/otlp/rows/rowBinaryWriter';
import type { Listening } from '../listen';
import { startClickHouseHttp } from './server';

const adminPassword = 'correct horse battery staple';
const readerPassword = 'reader pass';
let dataDir: string;
let store: Store;
let server: Listening;
let reader: ClickHouseClient;
let admin: ClickHouseClient;

// The refusals below are the point: the client needn't log them.
const quiet = { log: { level: ClickHouseLogLevel.OFF } };
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const asReader = { authorization: basic('default', readerPassword) };
const asAdmin = { authorization: basic('admin', adminPassword) };

function url(query: string, params: Record<string, string> = {}): string {
  return `${server.url}/?${new URLSearchParams({ query, ...params })}`;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'faultline-chhttp-'));
  const config = loadConfig({
    FAULTLINE_DATA_DIR: dataDir,
    FAULTLINE_CLICKHOUSE_HTTP_PORT: '0',
    FAULTLINE_CLICKHOUSE_HTTP_PASSWORD: readerPassword,
    FAULTLINE_CLICKHOUSE_HTTP_ADMIN_PASSWORD: adminPassword,
    FAULTLINE_CLICKHOUSE_HTTP_MAX_EXECUTION_SECONDS: '2',
    FAULTLINE_CLICKHOUSE_HTTP_MAX_RESULT_ROWS: '1000',
    FAULTLINE_CLICKHOUSE_HTTP_MAX_MEMORY_BYTES: String(100 * 1024 * 1024),
    FAULTLINE_CLICKHOUSE_HTTP_MAX_CONCURRENT_QUERIES: '1',
    FAULTLINE_CLICKHOUSE_HTTP_MAX_QUEUED_QUERIES: '1',
  });
  store = await openStore(config);
  server = await startClickHouseHttp(store, config.clickhouseHttp, { maxBodyBytes: 1024 * 1024 });
  reader = createClient({ ...quiet, url: server.url, username: 'default', password: readerPassword });
  admin = createClient({ ...quiet, url: server.url, username: 'admin', password: adminPassword, compression: { request: true, response: true } });
  await admin.command({ query: 'CREATE TABLE IF NOT EXISTS faultline.http_test (id UInt32, name String, at DateTime64(3)) ENGINE = MergeTree ORDER BY id' });
});

afterAll(async () => {
  await reader?.close();
  await admin?.close();
  await server?.close();
  await store?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('with @clickhouse/client', () => {
  it('pings, and answers the read-only user in JSON, JSONEachRow, TabSeparated and RowBinary', async () => {
    expect(await reader.ping()).toEqual({ success: true });
    // ClickHouse 26's defaults: 64-bit integers as JSON numbers unless output_format_json_quote_64bit_integers=1.
    const json = await (await reader.query({ query: 'SELECT number AS n, toString(number) AS s FROM numbers(3)', format: 'JSON' })).json<{ n: number; s: string }>();
    expect(json.data).toEqual([
      { n: 0, s: '0' },
      { n: 1, s: '1' },
      { n: 2, s: '2' },
    ]);
    expect(json.meta).toEqual([
      { name: 'n', type: 'UInt64' },
      { name: 's', type: 'String' },
    ]);
    const rows = await (await reader.query({ query: 'SELECT count() AS spans FROM otel_traces', format: 'JSONEachRow' })).json();
    expect(rows).toEqual([{ spans: 0 }]);
    const tsv = await (await reader.query({ query: "SELECT 'a\\tb' AS x, 2 AS y", format: 'TabSeparated' })).text();
    expect(tsv).toBe('a\\tb\t2\n');
    const binary = await reader.exec({ query: "SELECT toUInt32(7) AS a, 'hé' AS b FORMAT RowBinary" });
    const parts: Buffer[] = [];
    for await (const part of binary.stream as AsyncIterable<Buffer>) parts.push(part);
    const bytes = Buffer.concat(parts);
    expect([...bytes]).toEqual([7, 0, 0, 0, 3, 0x68, 0xc3, 0xa9]);
  });

  it('binds query parameters of every shape, values with quotes, backslashes, tabs and line feeds included', async () => {
    const awkward = "it's a \\ back\tslash\nline — ü";
    const result = await reader.query({
      query:
        'SELECT {s:String} AS s, {n:UInt64} AS n, {neg:Int32} AS neg, {f:Float64} AS f, {d:DateTime64(3)} AS d, {when:DateTime} AS when, ' +
        '{arr:Array(String)} AS arr, {nums:Array(UInt32)} AS nums, {m:Map(String, UInt8)} AS m, {t:Tuple(String, Int32)} AS t, ' +
        '{nothing:Nullable(String)} AS nothing, {col:Identifier} AS col FROM (SELECT 1 AS number)',
      format: 'JSONEachRow',
      clickhouse_settings: { output_format_json_quote_64bit_integers: 1 },
      query_params: {
        s: awkward,
        n: 18446744073709551615n,
        neg: -42,
        f: 0.25,
        // Fixed dates are safe here: parameters make a round trip, nothing is stored, no retention window applies.
        d: '2024-05-06 07:08:09.123',
        when: new Date('2024-05-06T07:08:09Z'),
        arr: [awkward, 'plain', "quote'"],
        nums: [1, 2, 3],
        m: new Map([["k'1", 1], ['k2', 2]]),
        t: new TupleParam(["x\\'y", 5]),
        nothing: null,
        col: 'number',
      },
    });
    expect(await result.json()).toEqual([
      {
        s: awkward,
        n: '18446744073709551615',
        neg: -42,
        f: 0.25,
        d: '2024-05-06 07:08:09.123',
        when: '2024-05-06 07:08:09',
        arr: [awkward, 'plain', "quote'"],
        nums: [1, 2, 3],
        m: { "k'1": 1, k2: 2 },
        t: ["x\\'y", 5],
        nothing: null,
        col: 1,
      },
    ]);
  });

  it('lets the admin insert (JSONEachRow, gzip both ways), run commands and DDL; RowBinary bodies as the collector sends them', async () => {
    await admin.insert({
      table: 'faultline.http_test',
      values: [
        { id: 1, name: 'one', at: '2024-01-01 00:00:00.001' },
        { id: 2, name: "two's", at: '2024-01-01 00:00:00.002' },
      ],
      format: 'JSONEachRow',
    });
    const out = new RowBinaryWriter();
    for (const [id, name] of [[3, 'three\n'] as const, [4, ''] as const]) {
      const idBytes = Buffer.alloc(4);
      idBytes.writeUInt32LE(id);
      out.raw(idBytes, 0, 4);
      out.string(name);
      const at = Buffer.alloc(8);
      at.writeBigInt64LE(1_704_067_200_000n + BigInt(id));
      out.raw(at, 0, 8);
    }
    await createHttpWriter('faultline', admin).insertRowBinary('http_test', ['id', 'name', 'at'], [out.finish()]);
    const rows = await (await reader.query({ query: 'SELECT id, name, at FROM http_test ORDER BY id', format: 'JSONEachRow' })).json();
    expect(rows).toEqual([
      { id: 1, name: 'one', at: '2024-01-01 00:00:00.001' },
      { id: 2, name: "two's", at: '2024-01-01 00:00:00.002' },
      { id: 3, name: 'three\n', at: '2024-01-01 00:00:00.003' },
      { id: 4, name: '', at: '2024-01-01 00:00:00.004' },
    ]);
    await admin.command({ query: 'ALTER TABLE faultline.http_test ADD COLUMN IF NOT EXISTS extra UInt8 DEFAULT 9' });
    const [described] = await (await admin.query({ query: 'SELECT count() AS c FROM system.columns WHERE database = {db:String} AND table = {t:String}', query_params: { db: 'faultline', t: 'http_test' }, format: 'JSONEachRow' })).json<{ c: number }>();
    expect(described).toEqual({ c: 4 });
    await admin.insert({ table: 'faultline.http_test', values: [], format: 'JSONEachRow' });
  });

  it('refuses the read-only user anything but reading, with ClickHouse\'s READONLY exception', async () => {
    for (const query of [
      'INSERT INTO faultline.http_test (id) VALUES (99)',
      'CREATE TABLE faultline.nope (a UInt8) ENGINE = Memory',
      'DROP TABLE faultline.http_test',
      'ALTER TABLE faultline.http_test DELETE WHERE 1',
      'SET max_threads = 1',
    ]) {
      await expect(reader.command({ query })).rejects.toMatchObject({ code: '164', type: 'READONLY' });
    }
    await expect(reader.insert({ table: 'faultline.http_test', values: [{ id: 100 }], format: 'JSONEachRow' })).rejects.toMatchObject({ code: '164' });
    for (const query of ['SHOW TABLES', 'DESCRIBE TABLE http_test', 'EXISTS TABLE http_test', 'EXPLAIN SELECT 1', 'WITH 1 AS x SELECT x', '(SELECT 1) UNION ALL (SELECT 2)']) {
      await expect((await reader.query({ query, format: 'JSONEachRow' })).json()).resolves.toBeDefined();
    }
    // Reading files on the server through table functions is writing's cousin: refused too.
    await expect(reader.query({ query: "SELECT * FROM file('/etc/hostname', 'LineAsString')", format: 'JSONEachRow' })).rejects.toMatchObject({ code: '164' });
    const counted = await (await reader.query({ query: 'SELECT count() AS c FROM http_test', format: 'JSONEachRow' })).json<{ c: number }>();
    expect(counted).toEqual([{ c: 4 }]);
  });
});

describe('over raw HTTP', () => {
  it('answers /ping and / with Ok., and a query with the X-ClickHouse-* headers', async () => {
    for (const path of ['/ping', '/']) {
      const answer = await fetch(`${server.url}${path}`);
      expect(answer.status).toBe(200);
      expect(await answer.text()).toBe('Ok.\n');
    }
    const answer = await fetch(url('SELECT number FROM system.numbers LIMIT 3', { query_id: 'my-query-1' }), { headers: asReader });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe('0\n1\n2\n');
    expect(answer.headers.get('x-clickhouse-query-id')).toBe('my-query-1');
    expect(answer.headers.get('x-clickhouse-format')).toBe('TabSeparated');
    expect(answer.headers.get('content-type')).toBe('text/tab-separated-values; charset=UTF-8');
    const summary = JSON.parse(answer.headers.get('x-clickhouse-summary')!);
    expect(Object.keys(summary)).toEqual(['read_rows', 'read_bytes', 'written_rows', 'written_bytes', 'total_rows_to_read', 'result_rows', 'result_bytes', 'elapsed_ns']);
    expect(Object.values(summary).every((value) => typeof value === 'string' && /^\d+$/.test(value))).toBe(true);
    expect(Number(summary.elapsed_ns)).toBeGreaterThan(0);
    expect((await fetch(url('SELECT 1'), { headers: asReader })).headers.get('x-clickhouse-query-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('takes the query in the URL, the body or both (a line feed between), default_format, the FORMAT clause and database', async () => {
    const post = (target: string, body: string, headers: Record<string, string> = asReader) => fetch(target, { method: 'POST', body, headers });
    expect(await (await post(`${server.url}/`, 'SELECT 1 + 1')).text()).toBe('2\n');
    expect(await (await post(`${server.url}/?query=`, 'SELECT 3')).text()).toBe('3\n');
    expect(await (await post(url('SELECT'), '4')).text()).toBe('4\n');
    const json = await post(url('SELECT 5 AS five', { default_format: 'JSONEachRow' }), '');
    expect(await json.text()).toBe('{"five":5}\n');
    expect(json.headers.get('x-clickhouse-format')).toBe('JSONEachRow');
    const csv = await post(`${server.url}/`, 'SELECT 6 AS six FORMAT CSVWithNames');
    expect(await csv.text()).toBe('"six"\n6\n');
    expect(csv.headers.get('x-clickhouse-format')).toBe('CSVWithNames');
    expect(await (await post(url('SELECT currentDatabase()'), '')).text()).toBe('faultline\n');
    expect(await (await post(url('SELECT currentDatabase(), count() FROM one', { database: 'system' }), '')).text()).toMatch(/^system\t/);
    const viaHeader = await fetch(url('SELECT currentDatabase()'), { headers: { ...asReader, 'x-clickhouse-database': 'system' } });
    expect(await viaHeader.text()).toBe('system\n');
    // An INSERT's beginning in the URL, its rows in the body, in the text formats too.
    const inserted = await post(url('INSERT INTO http_test (id, name, at) FORMAT TabSeparated'), '10\tten\t2024-01-01 00:00:00\n11\televen\t2024-01-01 00:00:00\n', asAdmin);
    expect(inserted.status).toBe(200);
    expect(JSON.parse(inserted.headers.get('x-clickhouse-summary')!).written_rows).toBe('2');
    expect((await post(url('INSERT INTO http_test (id, name, at) VALUES'), "(12, 'twelve', '2024-01-01 00:00:00')", asAdmin)).status).toBe(200);
    expect(await (await post(url('SELECT groupArray(name) FROM (SELECT name FROM http_test WHERE id >= 10 ORDER BY id)'), '')).text()).toBe("['ten','eleven','twelve']\n");
  });

  it('authenticates by basic auth, X-ClickHouse-User/Key and URL parameters, and refuses a wrong password with 516', async () => {
    const select = url('SELECT currentUser() != \'\'');
    expect((await fetch(select, { headers: asReader })).status).toBe(200);
    expect((await fetch(select, { headers: { 'x-clickhouse-user': 'admin', 'x-clickhouse-key': adminPassword } })).status).toBe(200);
    expect((await fetch(url('SELECT 1', { user: 'default', password: readerPassword }))).status).toBe(200);
    for (const headers of [{} as Record<string, string>, { authorization: basic('default', 'nope') }, { authorization: basic('admin', 'nope') }, { authorization: basic('root', adminPassword) }]) {
      const answer = await fetch(select, { headers });
      expect(answer.status).toBe(403);
      expect(answer.headers.get('x-clickhouse-exception-code')).toBe('516');
      expect(await answer.text()).toMatch(/^Code: 516\. DB::Exception: \w+: Authentication failed: password is incorrect, or there is no user with such name\. \(AUTHENTICATION_FAILED\) \(version [\d.]+\)\n$/);
    }
    const wrong = createClient({ ...quiet, url: server.url, username: 'admin', password: 'guess' });
    await expect(wrong.query({ query: 'SELECT 1' })).rejects.toMatchObject({ code: '516', type: 'AUTHENTICATION_FAILED' });
    await wrong.close();
  });

  it('sends exceptions as ClickHouse does: status by code, Code: N. DB::Exception text, X-ClickHouse-Exception-Code', async () => {
    const cases: [string, 'GET' | 'POST', Record<string, string>, number, number, string][] = [
      ['SELEC 1', 'GET', asReader, 400, 62, 'SYNTAX_ERROR'],
      ['SELECT * FROM no_such_table', 'GET', asReader, 404, 60, 'UNKNOWN_TABLE'],
      ['SELECT no_such_function()', 'GET', asReader, 404, 46, 'UNKNOWN_FUNCTION'],
      ['SELECT 1; SELECT 2', 'GET', asReader, 400, 62, 'SYNTAX_ERROR'],
      ['INSERT INTO http_test (id) VALUES (1)', 'GET', asReader, 500, 164, 'READONLY'],
      ['INSERT INTO http_test (id) VALUES (1)', 'GET', asAdmin, 500, 164, 'READONLY'],
      ["SELECT 1 INTO OUTFILE '/tmp/faultline-outfile'", 'POST', asAdmin, 403, 497, 'ACCESS_DENIED'],
      ["INSERT INTO http_test FROM INFILE '/etc/hostname' FORMAT LineAsString", 'POST', asAdmin, 403, 497, 'ACCESS_DENIED'],
      ['SELECT {x:UInt8}', 'GET', asReader, 500, 456, 'UNKNOWN_QUERY_PARAMETER'],
    ];
    for (const [query, method, headers, status, code, name] of cases) {
      const answer = await fetch(url(query), { method, headers });
      const text = await answer.text();
      expect({ query, status: answer.status, code: answer.headers.get('x-clickhouse-exception-code') }).toEqual({ query, status, code: String(code) });
      expect(text).toMatch(new RegExp(`^Code: ${code}\\. DB::Exception: .+\\(${name}\\) \\(version [\\d.]+\\)\\n$`, 's'));
    }
    const getWrite = await fetch(url('CREATE TABLE t (a UInt8) ENGINE = Memory'), { headers: asAdmin });
    expect(await getWrite.text()).toContain('method GET implies readonly');
    expect((await fetch(url('SELECT 1', { no_such_setting: '1' }), { headers: asReader })).status).toBe(404);
    expect((await fetch(`${server.url}/nowhere`)).status).toBe(404);
  });

  it('decompresses gzip requests and compresses answers when enable_http_compression=1 asks', async () => {
    const zipped = await fetch(`${server.url}/`, { method: 'POST', body: gzipSync('SELECT 40 + 2'), headers: { ...asReader, 'content-encoding': 'gzip' } });
    expect(await zipped.text()).toBe('42\n');
    // fetch would inflate silently: node:http shows the bytes as sent.
    const { request } = await import('node:http');
    const raw = await new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) => {
      request(url('SELECT number FROM numbers(100)', { enable_http_compression: '1' }), { headers: { ...asReader, 'accept-encoding': 'gzip' } }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (part: Buffer) => parts.push(part)).on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(parts) }));
      })
        .on('error', reject)
        .end();
    });
    expect(raw.encoding).toBe('gzip');
    expect(gunzipSync(raw.body).toString()).toBe(Array.from({ length: 100 }, (_, i) => `${i}\n`).join(''));
    const plain = await fetch(url('SELECT 1'), { headers: { ...asReader, 'accept-encoding': 'gzip' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    const reading = createClient({ ...quiet, url: server.url, username: 'default', password: readerPassword, compression: { request: true, response: true } });
    expect(await (await reading.query({ query: 'SELECT count() AS c FROM numbers(10)', format: 'JSONEachRow' })).json()).toEqual([{ c: 10 }]);
    await reading.close();
  });

  it('caps results and running time at the configured limits, whatever a client asks, and queues what is over the concurrency', async () => {
    const tooMany = await fetch(url('SELECT number FROM numbers(5000)', { max_result_rows: '100000' }), { headers: asReader });
    expect(tooMany.headers.get('x-clickhouse-exception-code')).toBe('396');
    expect(await tooMany.text()).toContain('TOO_MANY_ROWS_OR_BYTES');
    expect(await (await fetch(url('SELECT number FROM numbers(5000)', { max_result_rows: '10', result_overflow_mode: 'break', max_block_size: '10' }), { headers: asReader })).text()).toMatch(/^0\n1\n/);

    const hungry = await fetch(url('SELECT length(groupArray(toString(number))) FROM numbers(20000000)', { max_memory_usage: '0' }), { headers: asReader });
    expect(hungry.headers.get('x-clickhouse-exception-code')).toBe('241');

    const slow = await fetch(url('SELECT sleep(1) FROM numbers(3)', { max_execution_time: '600', max_block_size: '1' }), { headers: asReader });
    expect(slow.status).toBe(408);
    expect(slow.headers.get('x-clickhouse-exception-code')).toBe('159');

    // One runs, one waits, the third is one too many; the store's own connection is not held up meanwhile.
    const sleeping = () => fetch(url('SELECT sleep(1)'), { headers: asReader });
    const first = sleeping();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = sleeping();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const third = await sleeping();
    expect(third.headers.get('x-clickhouse-exception-code')).toBe('202');
    const started = performance.now();
    await (await store.client.query({ query: 'SELECT 1', format: 'JSONEachRow' })).json();
    // Behind the two sleeping queries it would take close to 2 s.
    expect(performance.now() - started).toBeLessThan(1000);
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
  });

  it('refuses to listen beyond loopback without a password for the read-only user', async () => {
    const config = loadConfig({ FAULTLINE_CLICKHOUSE_HTTP_HOST: '0.0.0.0', FAULTLINE_CLICKHOUSE_HTTP_ADMIN_PASSWORD: 'x' }).clickhouseHttp;
    await expect(startClickHouseHttp(store, config, { maxBodyBytes: 1024 })).rejects.toThrow(ConfigError);
    await expect(startClickHouseHttp(store, config, { maxBodyBytes: 1024 })).rejects.toThrow(/FAULTLINE_CLICKHOUSE_HTTP_PASSWORD/);
  });
});
