import { cidrList, filePath, host, integer, milliseconds, oneOf, optionalFilePath, optionalSecret, optionalUrl, originList, planList, port, redisUrl, text, url, urlList, urlPath, withDemoDefault } from './env-var';

/** Where the demo estate listens by default (PRODUCT.md): the identity provider and the five services. */
export const DEMO_PORTS = { identity: 4000, inventory: 4001, hr: 4002, payroll: 4003, sales: 4004, customers: 4005 } as const;
export const UPSTREAM_NAMES = ['inventory', 'hr', 'payroll', 'sales', 'customers'] as const;
export type UpstreamName = (typeof UPSTREAM_NAMES)[number];

export const APP_PORTS = { 'web-bff': 3001, 'mobile-bff': 3002, 'partner-bff': 3003 } as const;
export type AppName = keyof typeof APP_PORTS;

/** The dev identity provider's `iss`/`aud`, which are also the defaults of JWT_ISSUER/JWT_AUDIENCE. */
export const DEMO_JWT_ISSUER = `http://127.0.0.1:${DEMO_PORTS.identity}`;
export const DEMO_JWT_AUDIENCE = 'frontdoor';
export const DEMO_WEB_ORIGIN = 'http://localhost:4200';

const upstreamUrl = (name: UpstreamName) =>
  withDemoDefault(
    urlList(
      `UPSTREAM_${name.toUpperCase()}_URL`,
      `http://127.0.0.1:${DEMO_PORTS[name]}`,
      `base URL(s) of ${name}; a comma-separated list means load-balanced instances`,
    ),
  );

const upstreamBudget = (name: UpstreamName, calls: number) =>
  integer(
    `UPSTREAM_${name.toUpperCase()}_MAX_CONCURRENT`,
    String(calls),
    `calls to ${name} in flight at most; past it the gateway answers 503 at once (backend protection)`,
    1,
    100_000,
  );

const upstreamHealthPath = (name: UpstreamName) =>
  urlPath(
    `UPSTREAM_${name.toUpperCase()}_HEALTH_PATH`,
    '/health',
    `path of ${name} (after its URL's own path) that readiness and the re-admission of an ejected instance ask; 2xx = healthy`,
  );

/** Listening, logging and the first checks at the door. */
export const serverSchema = (app: AppName) =>
  ({
    port: port('PORT', String(APP_PORTS[app]), 'listen port'),
    host: host('HOST', '127.0.0.1', 'listen address'),
    logLevel: oneOf('LOG_LEVEL', 'info', 'pino level', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
    trustProxy: cidrList('TRUST_PROXY', "CIDRs whose X-Forwarded-For is believed; unset: trust none"),
    ipAllow: cidrList('IP_ALLOW', 'CIDRs allowed to connect (applied before anything else); unset: all'),
    ipDeny: cidrList('IP_DENY', 'CIDRs refused with 403 before anything else'),
    // at least 1: Fastify refuses a bodyLimit of 0 (it would not mean "no body" nor "no limit")
    bodyLimitBytes: integer('BODY_LIMIT_BYTES', '1048576', 'largest accepted request body, bytes', 1, 64 * 1024 * 1024),
    otlpEndpoint: optionalUrl('OTEL_EXPORTER_OTLP_ENDPOINT', 'OpenTelemetry collector (OTLP/HTTP); when set, traces are exported to <url>/v1/traces'),
    shutdownDrainMs: milliseconds('SHUTDOWN_DRAIN_MS', '10000', 'on SIGTERM: longest wait for accepted requests to finish before exiting', 1, 600_000),
    requestTimeoutMs: milliseconds('REQUEST_TIMEOUT_MS', '30000', 'longest time a client may take to send a whole request (slow-body clients are cut off)', 1, 600_000),
    headersTimeoutMs: milliseconds('HEADERS_TIMEOUT_MS', '10000', 'longest time a client may take to send the request headers', 1, 600_000),
    // up to an hour: behind a proxy it must exceed the proxy's own idle timeout, and a Google Cloud load balancer
    // keeps idle connections to its backends 600 s (its guide asks backends for 620 s)
    keepAliveTimeoutMs: milliseconds('KEEP_ALIVE_TIMEOUT_MS', '5000', 'idle time before a kept-alive client connection is closed', 1, 3_600_000),
    maxRequestsPerSocket: integer('MAX_REQUESTS_PER_SOCKET', '1000', 'requests served on one client connection before it is closed (0: no limit)', 0, 1_000_000),
    tlsCertFile: optionalFilePath('TLS_CERT_FILE', 'PEM certificate chain: when set (with TLS_KEY_FILE) the BFF serves HTTPS'),
    tlsKeyFile: optionalFilePath('TLS_KEY_FILE', 'PEM private key of TLS_CERT_FILE'),
    http2: oneOf('HTTP2', 'false', 'serve HTTP/2 to clients (with TLS; HTTP/1.1 still accepted); backends stay HTTP/1.1', ['false', 'true'] as const),
  }) as const;

/** The backends and how long the gateway waits for them. */
export const upstreamSchema = {
  inventoryUrls: upstreamUrl('inventory'),
  hrUrls: upstreamUrl('hr'),
  payrollUrls: upstreamUrl('payroll'),
  salesUrls: upstreamUrl('sales'),
  customersUrls: upstreamUrl('customers'),
  routeDeadlineMs: milliseconds('ROUTE_DEADLINE_MS', '3000', 'whole-exchange deadline of a route unless it says otherwise', 1, 120_000),
  upstreamMaxResponseBytes: integer('UPSTREAM_MAX_RESPONSE_BYTES', '8388608', 'largest upstream body read, bytes', 1024, 256 * 1024 * 1024),
  upstreamConnections: integer('UPSTREAM_CONNECTIONS', '64', 'keep-alive connections per upstream instance', 1, 4096),
  // resilience: one policy stack per upstream, built at start (libs/upstream)
  inventoryMaxConcurrent: upstreamBudget('inventory', 256),
  hrMaxConcurrent: upstreamBudget('hr', 256),
  payrollMaxConcurrent: upstreamBudget('payroll', 64),
  salesMaxConcurrent: upstreamBudget('sales', 256),
  customersMaxConcurrent: upstreamBudget('customers', 256),
  inventoryHealthPath: upstreamHealthPath('inventory'),
  hrHealthPath: upstreamHealthPath('hr'),
  payrollHealthPath: upstreamHealthPath('payroll'),
  salesHealthPath: upstreamHealthPath('sales'),
  customersHealthPath: upstreamHealthPath('customers'),
  breakerFailures: integer('BREAKER_FAILURES', '5', 'consecutive failed attempts (transport error, timeout, 5xx; retries count) that open an upstream circuit', 1, 1000),
  breakerHalfOpenAfterMs: milliseconds('BREAKER_HALF_OPEN_AFTER_MS', '10000', 'time an open circuit waits before one trial call, ms', 1, 3_600_000),
  retryMaxAttempts: integer('RETRY_MAX_ATTEMPTS', '3', 'attempts per idempotent (GET/HEAD) call, the first included; 1 = no retries', 1, 10),
  retryBaseMs: integer('RETRY_BASE_MS', '50', 'full-jitter backoff base, ms (retry n waits up to base x 2^(n-1), at most 1000)', 0, 10_000),
  retryBudgetPercent: integer('RETRY_BUDGET_PERCENT', '20', 'retries allowed per upstream, as a percentage of its recent calls', 0, 100),
  upstreamEjectAfterFailures: integer('UPSTREAM_EJECT_AFTER_FAILURES', '3', 'consecutive failures that take an instance out of the rotation', 1, 1000),
  upstreamProbeIntervalMs: integer('UPSTREAM_PROBE_INTERVAL_MS', '5000', 'how often ejected instances are probed (GET /health), ms; 0 = never', 0, 3_600_000),
  // response cache of GET routes (memory; Redis too when REDIS_URL is set)
  cacheMaxEntries: integer('CACHE_MAX_ENTRIES', '1000', 'responses kept in the in-process cache at most; 0 disables it', 0, 1_000_000),
  cacheMaxBytes: integer('CACHE_MAX_BYTES', '33554432', 'bytes of response bodies kept in the in-process cache at most', 0, 1024 * 1024 * 1024),
  cacheStaleMaxS: integer('CACHE_STALE_MAX_S', '600', 'longest a copy is kept past its TTL to serve when the upstream is down, seconds (at most 10 x TTL)', 0, 86_400),
} as const;

/** User tokens (web, mobile). */
export const jwtSchema = {
  jwksUrl: withDemoDefault(url('JWT_JWKS_URL', `${DEMO_JWT_ISSUER}/.well-known/jwks.json`, 'where user-token keys are fetched')),
  issuer: withDemoDefault(text('JWT_ISSUER', DEMO_JWT_ISSUER, 'required iss of user tokens')),
  audience: withDemoDefault(text('JWT_AUDIENCE', DEMO_JWT_AUDIENCE, 'required aud of user tokens')),
  clockSkewS: integer('JWT_CLOCK_SKEW_S', '30', 'tolerated clock skew for exp/nbf/iat, seconds', 0, 300),
  maxLifetimeS: integer('JWT_MAX_LIFETIME_S', '86400', 'longest accepted token lifetime (exp - iat), seconds', 60, 30 * 86400),
  jwksCooldownMs: milliseconds('JWT_JWKS_COOLDOWN_MS', '10000', 'least time between two JWKS fetches (unknown kid, refresh)', 1, 3_600_000),
} as const;

/** The gateway's own identity token, signed per upstream call (all apps). */
export const gatewayIdentitySchema = {
  gatewaySigningKeyFile: optionalFilePath(
    'GATEWAY_SIGNING_KEY_FILE',
    'PKCS#8 PEM EC P-256 private key signing the identity token sent upstream; unset: a new key at every start',
  ),
} as const;

/** Partner API keys (partner-bff): the file store, used when REDIS_URL is unset. */
export const partnerKeysSchema = {
  partnerKeysFile: filePath('PARTNER_KEYS_FILE', 'var/partner-keys.json', 'partner API key store (hashes only) when REDIS_URL is unset'),
} as const;

/** Shared state (limits, quotas, cache, idempotency) across instances. */
export const storeSchema = {
  redisUrl: redisUrl('REDIS_URL', 'when set, limits, quotas, cache and idempotency records live in Redis'),
} as const;

/** Traffic control: per-principal rate limits (per second, app-wide) and partner usage plans. */
export const rateLimitSchema = {
  userRps: integer('RATE_LIMIT_USER_RPS', '50', 'requests per second per user (token subject), across the app', 1, 100_000),
  anonRps: integer('RATE_LIMIT_ANON_RPS', '20', 'requests per second per client IP on public routes', 1, 100_000),
  newCredentialRps: integer(
    'RATE_LIMIT_NEW_CREDENTIAL_RPS',
    '50',
    'credentials this instance has not verified before, checked per second per client IP (bursts of 2x; IPv6 by /64); beyond: 429 before any check; 0 = no limit',
    0,
    100_000,
  ),
  partnerPlans: planList('PARTNER_PLANS', 'free:5:10000,gold:50:1000000', 'partner usage plans: plan:requestsPerSecond:requestsPerDay'),
} as const;

export const corsSchema = {
  corsOrigins: originList('CORS_ORIGINS', DEMO_WEB_ORIGIN, 'web-bff allowed CORS origins'),
} as const;

/** mobile-bff's page cursors: HMAC-SHA256 key. Every instance of the app must share it, or a cursor fails on another. */
export const mobileCursorSchema = {
  mobileCursorSecret: optionalSecret(
    'MOBILE_CURSOR_SECRET',
    'key (at least 32 characters) signing mobile page cursors, shared by every mobile-bff instance; unset: a random key at every start',
    32,
  ),
} as const;

/** Everything a BFF reads, composed once; each app picks its sections. */
export const bffSchema = (app: AppName) =>
  ({ ...serverSchema(app), ...upstreamSchema, ...jwtSchema, ...gatewayIdentitySchema, ...storeSchema, ...rateLimitSchema, ...(app === 'web-bff' ? corsSchema : {}), ...(app === 'mobile-bff' ? mobileCursorSchema : {}) }) as const;
