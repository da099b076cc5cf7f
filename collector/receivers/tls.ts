/**
 * TLS for the receivers, from FAULTLINE_TLS_CERT_FILE / _KEY_FILE (and _CLIENT_CA_FILE for mutual
 * TLS): the PEM files read once at start, as options for node:https and as gRPC server credentials.
 */
import { readFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions as HttpsOptions } from 'node:https';
import { ServerCredentials } from '@grpc/grpc-js';
import type { TlsFiles } from '../../lib/config';

export type TlsMaterial = { cert: Buffer; key: Buffer; clientCa?: Buffer };

export function loadTls(files: TlsFiles): TlsMaterial {
  return {
    cert: readFileSync(files.certFile),
    key: readFileSync(files.keyFile),
    clientCa: files.clientCaFile ? readFileSync(files.clientCaFile) : undefined,
  };
}

/** An HTTP receiver's server: HTTPS when TLS is configured, plain HTTP otherwise. */
export function receiverServer(tls: TlsMaterial | undefined, listener: RequestListener): Server {
  return tls ? createHttpsServer(httpsOptions(tls), listener) : createServer(listener);
}

function httpsOptions(tls: TlsMaterial): HttpsOptions {
  const mutual = tls.clientCa !== undefined;
  return { cert: tls.cert, key: tls.key, ca: tls.clientCa, requestCert: mutual, rejectUnauthorized: mutual };
}

export function grpcCredentials(tls: TlsMaterial | undefined): ServerCredentials {
  if (!tls) return ServerCredentials.createInsecure();
  return ServerCredentials.createSsl(tls.clientCa ?? null, [{ cert_chain: tls.cert, private_key: tls.key }], tls.clientCa !== undefined);
}
