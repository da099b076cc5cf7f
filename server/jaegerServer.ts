/**
 * Jaeger's HTTP JSON query API (lib/jaeger/api.ts) on its own port, 16686 as Jaeger's query service,
 * so Grafana's Jaeger data source and Jaeger UI read Faultline's store. In the process holding the store.
 */
import http from 'node:http';
import { answerJaeger, jaegerError, type JaegerAnswer, type JaegerStore } from '../lib/jaeger/api';
import { listen, type Listening } from './listen';

function send(res: http.ServerResponse, { status, body }: JaegerAnswer) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

export function startJaegerQuery(store: JaegerStore, options: { host: string; port: number }): Promise<Listening> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, jaegerError(405, `${req.method} is not allowed: the Jaeger query API is read-only`));
      return;
    }
    void answerJaeger(store, new URL(req.url ?? '/', 'http://jaeger.invalid')).then((answer) => send(res, answer));
  });
  return listen(server, options.host, options.port);
}
