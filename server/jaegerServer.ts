/**
 * Jaeger's HTTP JSON query API (lib/jaeger/api.ts) on its own port, 16686 as Jaeger's query service,
 * so Grafana's Jaeger data source and Jaeger UI read Faultline's store. In the process holding the store.
 * It takes the dashboard's sign-in (auth/accessCheck.ts), and like the dashboard refuses to start
 * beyond loopback without one.
 */
import http from 'node:http';
import type { UiAuthConfig } from '../lib/config';
import { answerJaeger, jaegerError, type JaegerAnswer, type JaegerStore } from '../lib/jaeger/api';
import { accessCheck } from './auth/accessCheck';
import { listen, type Listening } from './listen';

function send(res: http.ServerResponse, { status, body }: JaegerAnswer, headers: http.OutgoingHttpHeaders = {}) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

export async function startJaegerQuery(store: JaegerStore, options: { host: string; port: number; auth: UiAuthConfig }): Promise<Listening> {
  const access = accessCheck('The Jaeger query API', options.host, options.auth);
  const server = http.createServer((req, res) => {
    if (access && !access.signedIn(req)) {
      const how = options.auth.password === undefined ? 'through the authenticating proxy in front of Faultline' : 'with FAULTLINE_UI_PASSWORD as a Bearer token or the Basic password';
      const challenge = options.auth.password === undefined ? {} : { 'www-authenticate': 'Basic realm="Faultline", charset="UTF-8"' };
      send(res, jaegerError(401, `This API needs a signed-in user: sign in ${how}`), challenge);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, jaegerError(405, `${req.method} is not allowed: the Jaeger query API is read-only`));
      return;
    }
    void answerJaeger(store, new URL(req.url ?? '/', 'http://jaeger.invalid')).then((answer) => send(res, answer));
  });
  return listen(server, options.host, options.port);
}
