import { readFileSync } from 'node:fs';

/** The listening side of an app's config (see `serverSchema` in @frontdoor/config). */
export interface ServerLimits {
  readonly requestTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly maxRequestsPerSocket: number;
  readonly tlsCertFile?: string;
  readonly tlsKeyFile?: string;
  readonly http2: 'true' | 'false';
}

/** Thrown at start for a TLS set-up that cannot work; `runBff` turns it into one line and a non-zero exit. */
export class StartupError extends Error {}

function readPem(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    throw new StartupError(`${variable} (${path}) could not be read`);
  }
}

/**
 * Fastify server options for the client side of the gateway: Node's request/headers/keep-alive limits (Fastify
 * disables the request timeout by default: a 1-byte-per-minute body would hold a socket forever), and optional
 * TLS termination with HTTP/2 (HTTP/1.1 still accepted). Backends stay HTTP/1.1 (libs/upstream).
 */
export function serverOptionsOf(limits: ServerLimits): Record<string, unknown> {
  // Node checks request and header deadlines on an interval (30 s by default): check often enough to honour them
  const node = {
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(limits.headersTimeoutMs / 2))),
    // Node answers an HTTP/1.1 request without Host with a bare 400 of its own; the security hook refuses it instead,
    // as problem+json like every other refusal (PRODUCT.md: the parser's errors too, as far as the connection allows)
    requireHostHeader: false,
  };
  const base = {
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: 0, // idle sockets are bounded by keepAliveTimeout; a busy one by requestTimeout
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    maxRequestsPerSocket: limits.maxRequestsPerSocket,
  };
  if (!limits.tlsCertFile && !limits.tlsKeyFile) {
    if (limits.http2 === 'true') throw new StartupError('HTTP2=true needs TLS_CERT_FILE and TLS_KEY_FILE (browsers speak HTTP/2 over TLS only)');
    return { ...base, http: node };
  }
  if (!limits.tlsCertFile || !limits.tlsKeyFile) throw new StartupError('TLS_CERT_FILE and TLS_KEY_FILE must be set together');
  const https = { cert: readPem('TLS_CERT_FILE', limits.tlsCertFile), key: readPem('TLS_KEY_FILE', limits.tlsKeyFile), minVersion: 'TLSv1.2' };
  return limits.http2 === 'true'
    ? { ...base, http2: true, https: { ...https, allowHTTP1: true, requireHostHeader: false } }
    : { ...base, https: { ...https, ...node } };
}
