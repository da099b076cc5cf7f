/**
 * One HTTP request, from the wire to the engine and back, in the order ClickHouse's HTTP handler
 * takes it: the user, the query (the `query` parameter, a line feed, then the body), its kind and
 * what the user may do with it, settings and parameters, the engine, the answer with its
 * `X-ClickHouse-*` headers, or the exception as ClickHouse writes it.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Engine, EngineQuery } from './engine';
import { quoteString } from './engine';
import { ClickHouseException, fromEngine, getImpliesReadonly, httpStatusOf, readonlyRefusal } from './errors';
import { bindableParams } from './queryParams';
import type { QueryQueue } from './queue';
import { effectiveSettings, readRequestParams, type Limits } from './requestParams';
import { analyze, SqlTextError } from './sqlText';
import { contentTypeOf, encodeBody, readRequestBody, responseEncoding } from './transport';
import { authenticate, type UserPasswords } from './users';

export type HandlerOptions = {
  engine: Engine;
  queue: QueryQueue;
  limits: Limits;
  passwords: UserPasswords;
  /** The database a query runs in when the request names none. */
  defaultDatabase: string;
  maxBodyBytes: number;
  /** The most query text (everything before an INSERT's data) read, as ClickHouse's max_query_size. */
  maxQueryBytes: number;
};

const ok = 'Ok.\n';

export function clickHouseHttpHandler(options: HandlerOptions) {
  const { engine } = options;
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://clickhouse.invalid');
    const queryId = url.searchParams.get('query_id') || randomUUID();
    res.setHeader('X-ClickHouse-Server-Display-Name', 'faultline');
    res.setHeader('X-ClickHouse-Query-Id', queryId);
    res.setHeader('X-ClickHouse-Timezone', engine.timezone);
    try {
      if (req.method !== 'GET' && req.method !== 'POST' && req.method !== 'HEAD') {
        res.setHeader('Allow', 'GET, POST, HEAD');
        throw new ClickHouseException(1002, `HTTP method ${req.method} is not allowed: use GET or POST`);
      }
      if (url.pathname === '/ping' || url.pathname === '/replicas_status') return send(res, 200, ok, 'text/plain; charset=UTF-8');
      if (url.pathname !== '/' && url.pathname !== '/query') {
        return send(res, 404, `There is no handle ${url.pathname}\n\nUse / or /ping for health checks.\nSend queries with POST or GET /?query=...\n`, 'text/plain; charset=UTF-8');
      }
      if (req.method !== 'POST' && !url.searchParams.has('query')) return send(res, 200, ok, 'text/plain; charset=UTF-8');
      const params = readRequestParams(url);
      const user = authenticate(req.headers, params.credentials, options.passwords);
      const body = req.method === 'POST' ? await readRequestBody(req, options.maxBodyBytes) : Buffer.alloc(0);

      const text = params.query && body.length > 0 ? Buffer.concat([Buffer.from(`${params.query}\n`, 'utf8'), body]) : params.query ? Buffer.from(params.query, 'utf8') : body;
      const head = text.subarray(0, options.maxQueryBytes).toString('latin1');
      let analysis;
      try {
        analysis = analyze(head);
      } catch (error) {
        if (!(error instanceof SqlTextError)) throw error;
        throw new ClickHouseException(62, `Syntax error: failed at position ${error.position + 1}: ${error.message}`);
      }
      if (!analysis.keyword) throw new ClickHouseException(62, 'Empty query');
      if (!analysis.insert && text.length > options.maxQueryBytes) {
        throw new ClickHouseException(229, `Query is too large (${text.length}). max_query_size = ${options.maxQueryBytes}`);
      }
      if (analysis.secondStatementAt !== undefined) {
        throw new ClickHouseException(62, `Syntax error (Multi-statements are not allowed): failed at position ${analysis.secondStatementAt + 1}`);
      }
      if (analysis.intoOutfile) throw new ClickHouseException(497, 'INTO OUTFILE is not allowed over HTTP: the file would be written on the server');
      if (analysis.insertFromInfile) throw new ClickHouseException(497, 'FROM INFILE is not allowed over HTTP: send the data as the request body');
      if (analysis.writes) {
        if (user.readonly) throw readonlyRefusal(user.name);
        if (req.method !== 'POST') throw getImpliesReadonly();
      }

      const readonly = user.readonly ? 1 : req.method === 'POST' ? 0 : 2;
      const format = analysis.format ?? (params.defaultFormat || header(req, 'x-clickhouse-format') || 'TabSeparated');
      const query: EngineQuery = {
        database: params.database || header(req, 'x-clickhouse-database') || options.defaultDatabase,
        settings: effectiveSettings(params.settings, options.limits, readonly),
        sql: '',
        format,
        params: params.params.size > 0 ? bindableParams(params.params, analysis.placeholders) : undefined,
      };
      const insert = analysis.insert;
      if (insert) {
        // Always through a file, even empty: an INSERT without rows then succeeds, as on a server.
        const before = (from: number, to: number) => text.subarray(from, to).toString('utf8');
        query.insert = {
          data: text.subarray(insert.dataStart),
          sqlWithFile: (file) =>
            `${before(insert.start, insert.infileAt)} FROM INFILE ${quoteString(file)} ${before(insert.infileAt, insert.formatAt)}FORMAT ${insert.format}`,
        };
      } else {
        query.sql = text.toString('utf8');
      }

      const answer = await options.queue.run(() => engine.run(query));
      const produces = analysis.reads || answer.body.length > 0;
      const summary = {
        read_rows: String(produces ? answer.rowsRead : 0),
        read_bytes: String(produces ? answer.bytesRead : 0),
        written_rows: String(insert ? answer.rowsRead : 0),
        written_bytes: String(insert ? answer.bytesRead : 0),
        total_rows_to_read: '0',
        result_rows: String(produces ? answer.rowsRead : 0),
        result_bytes: String(produces ? answer.bytesRead : 0),
        elapsed_ns: String(Math.round(answer.elapsedSeconds * 1e9)),
      };
      res.setHeader('X-ClickHouse-Summary', JSON.stringify(summary));
      if (produces) res.setHeader('X-ClickHouse-Format', format);
      let payload = answer.body;
      const encoding = params.compressResponse ? responseEncoding(req.headers['accept-encoding']) : undefined;
      if (encoding && payload.length > 0) {
        const level = Number(url.searchParams.get('http_zlib_compression_level') ?? NaN);
        payload = await encodeBody(payload, encoding, Number.isInteger(level) ? level : undefined);
        res.setHeader('Content-Encoding', encoding);
      }
      send(res, 200, payload, produces ? contentTypeOf(format) : 'text/plain; charset=UTF-8', req.method === 'HEAD');
    } catch (error) {
      const exception = fromEngine(error);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.removeHeader('Content-Encoding');
      res.setHeader('X-ClickHouse-Exception-Code', String(exception.code));
      send(res, httpStatusOf(exception.code), exception.render(engine.version), 'text/plain; charset=UTF-8');
    }
  };
}

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

function send(res: ServerResponse, status: number, body: string | Buffer, contentType: string, headOnly = false): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': bytes.length });
  res.end(headOnly ? undefined : bytes);
}
