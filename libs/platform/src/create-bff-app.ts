import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConfigError, configProblem, type Cidr } from '@frontdoor/config';
import { HttpMetrics, Lifecycle, NestPinoLogger, createLogger, createTracing, requestIdOf } from '@frontdoor/observability';
import { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { DestinationStream, Logger } from 'pino';
import compress from '@fastify/compress';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { Socket } from 'node:net';
import { createSecureContext } from 'node:tls';
import { constants as zlib } from 'node:zlib';
import { installAcceptEncodingWildcard } from './accept-encoding';
import { clientErrorHandlerOf, installProtocolRefusals, type RefusalRecorder } from './client-error';
import { answerHeadersOf, installSecurityHooks, varyOf } from './security.hooks';
import { serverOptionsOf, type ServerLimits } from './server-options';
import { AcceptableGuard, installRepresentationHooks } from './representation.hooks';
import { corsForErrorsOf, corsOptionsOf, installCorsFallback, installPlainOptions, type CorsPolicy } from './cors.policy';
import { installEtagHook, installIfMatchHook } from './etag.hook';
import { installHeadLikeGet } from './head-route';
import { installRoutePatterns } from './method-not-allowed';
import { installClientGoneHook } from './client-gone.hook';
import {
  closesConnection,
  installAccessHooks,
  installDoorHooks,
  clientAddressOf,
  proxyAddrRangesOf,
  proxyTrustOf,
  type UnansweredRequests,
} from './door.hooks';
import { fromFrameworkError } from './framework-errors';
import { originFormOf } from './path-hygiene';
import { ProblemFilter } from './problem.filter';
import { sendProblem, shownPathOf } from './problem-response';
import { BodyDecodingGuard, installJsonBodyParser, installOtherBodyParser, installXmlBodyParser } from './xml-body.parser';
import { QueryValidationPipe } from './query-validation.pipe';

/** Brotli at quality 4 and gzip at level 5: most of the size win for a fraction of the default CPU (11 / 6). */
const COMPRESSION = {
  encodings: ['br', 'gzip'],
  threshold: 1024,
  brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } },
  zlibOptions: { level: 5 },
};

/** Server limits when a caller (a test module) gives none: the defaults of `serverSchema`. */
const DEFAULT_LIMITS: ServerLimits = { requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000, maxRequestsPerSocket: 1000, http2: 'false' };

function definedOf<T extends object>(settings: T): Partial<T> {
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function succeeds<T>(attempt: () => T): T | undefined {
  try {
    return attempt();
  } catch {
    return undefined;
  }
}

/** A start-up warning found before the logger exists: logged by `createBffApp` once it does. */
interface StartWarning {
  readonly fields: Readonly<Record<string, unknown>>;
  readonly message: string;
}

/** A certificate that expires within this many days is warned about at start. */
const CERT_EXPIRY_WARNING_DAYS = 14;
const DAY_MS = 86_400_000;

/** Which certificate of TLS_CERT_FILE a warning is about: the leaf (the first) says "certificate", another its place. */
function certificateNameOf(certificate: X509Certificate, position: number, count: number): string {
  if (position === 1) return "TLS_CERT_FILE's certificate";
  const subject = certificate.subject.replace(/\n/g, ', ');
  return `TLS_CERT_FILE's chain certificate ${position} of ${count} (${subject})`;
}

/**
 * A warning when a certificate of TLS_CERT_FILE — the leaf (the first), or one of the chain sent with it (an
 * intermediate that expires first takes the leaf with it) — is not valid at `now` or expires within
 * {@link CERT_EXPIRY_WARNING_DAYS}: clients that verify it refuse it then. Not a refusal to start (nginx and Envoy
 * start too): a renewal that slipped would otherwise take every replica down at its next restart.
 */
function certificateValidityWarningOf(
  certificate: X509Certificate,
  file: string | undefined,
  now: number,
  name: string,
): StartWarning | undefined {
  const validFrom = new Date(certificate.validFrom);
  const validTo = new Date(certificate.validTo);
  if (Number.isNaN(validFrom.getTime()) || Number.isNaN(validTo.getTime())) return undefined;
  // whole days, toward zero: 9.9 days left is 9; expired 3.1 days ago is -3
  const daysLeft = Math.trunc((validTo.getTime() - now) / DAY_MS);
  const fields = {
    tlsCertFile: file,
    ...(name.startsWith("TLS_CERT_FILE's chain") && { subject: certificate.subject.replace(/\n/g, ', ') }),
    validFrom: validFrom.toISOString(),
    validTo: validTo.toISOString(),
    daysLeft,
  };
  const expiry = `${validTo.toISOString()} (${daysLeft} days left)`;
  if (validFrom.getTime() > now) {
    const message =
      `${name} is not valid before ${validFrom.toISOString()}, expires on ${expiry}: ` +
      "clients that verify it refuse it until then (or this machine's clock is wrong)";
    return { fields, message };
  }
  if (validTo.getTime() <= now) {
    const message =
      `${name} expired on ${validTo.toISOString()} (${-daysLeft} days ago): ` +
      'clients that verify it refuse every connection; renew it';
    return { fields, message };
  }
  if (daysLeft >= CERT_EXPIRY_WARNING_DAYS) return undefined;
  return { fields, message: `${name} expires on ${expiry}: renew it before clients refuse it` };
}

/** The PEM certificates of a chain file, in order (`X509Certificate` reads only the first). */
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** {@link certificateValidityWarningOf} for every certificate of the chain, leaf first; unreadable ones are skipped. */
function chainValidityWarningsOf(cert: Buffer, file: string | undefined, now: number): StartWarning[] {
  const blocks = cert.toString('latin1').match(PEM_CERTIFICATE) ?? [];
  const certificates = blocks.map((block) => succeeds(() => new X509Certificate(block)));
  const warnings: StartWarning[] = [];
  certificates.forEach((certificate, at) => {
    if (!certificate) return;
    const name = certificateNameOf(certificate, at + 1, certificates.length);
    const warning = certificateValidityWarningOf(certificate, file, now, name);
    if (warning) warnings.push(warning);
  });
  return warnings;
}

/**
 * The certificate and key `serverOptionsOf` read, checked as Node's TLS takes them before the server is built with
 * them: OpenSSL's refusal ("no start line", "key values mismatch") named no variable. Never echoes what a file holds.
 * @returns a warning for each certificate of the chain not valid at `now` or expiring soon (see
 *   certificateValidityWarningOf)
 * @throws ConfigError naming TLS_CERT_FILE / TLS_KEY_FILE: no PEM certificate, no unencrypted PEM key, a key that
 *   is not the certificate's
 */
function checkTlsFiles(
  serverOptions: Record<string, unknown>,
  server: ServerSettings,
  now: number,
): StartWarning[] {
  const { cert, key } = (serverOptions['https'] ?? {}) as { cert?: Buffer; key?: Buffer };
  if (cert === undefined || key === undefined) return [];
  const certificate = succeeds(() => new X509Certificate(cert));
  const privateKey = succeeds(() => createPrivateKey(key));
  const problems: string[] = [];
  const certProblem = (problem: string) =>
    problems.push(configProblem('TLS_CERT_FILE', problem, server.tlsCertFile));
  const keyProblem = (problem: string) =>
    problems.push(configProblem('TLS_KEY_FILE', problem, server.tlsKeyFile));
  if (!certificate) certProblem('must hold a PEM certificate chain');
  if (!privateKey) keyProblem('must hold an unencrypted PEM private key');
  else if (certificate && !certificate.checkPrivateKey(privateKey)) {
    keyProblem('must hold the private key of the TLS_CERT_FILE certificate');
  }
  // what the checks above let through and TLS still refuses (a DER certificate): said of the certificate
  if (problems.length === 0 && !succeeds(() => createSecureContext({ cert, key }))) {
    certProblem('must hold a PEM certificate chain that TLS accepts with TLS_KEY_FILE');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return chainValidityWarningsOf(cert, server.tlsCertFile, now);
}

/**
 * Nest logs what a provider's factory threw while the app was being built ("ExceptionHandler") before rethrowing it.
 * A ConfigError (a key file that cannot be used) is reported by `runBff`, once, on stderr, as `loadConfigOrExit`
 * reports a bad variable: not also as a log line (`kubectl logs` shows both streams).
 */
class BffNestLogger extends NestPinoLogger {
  override error(message: unknown, trace?: string, context?: string): void {
    if (!(message instanceof ConfigError)) super.error(message, trace, context);
  }
}

/** The server part of an app's config (see `serverSchema` in @frontdoor/config). */
export interface ServerSettings extends Partial<ServerLimits> {
  readonly logLevel: string;
  readonly trustProxy: readonly Cidr[];
  readonly ipAllow: readonly Cidr[];
  readonly ipDeny: readonly Cidr[];
  readonly bodyLimitBytes: number;
  /** OTEL_EXPORTER_OTLP_ENDPOINT: traces exported when set. */
  readonly otlpEndpoint?: URL;
}

export interface BffAppOptions {
  readonly app: string;
  readonly server: ServerSettings;
  /** Log destination; tests pass a capturing stream. Defaults to stdout. */
  readonly logDestination?: DestinationStream;
  /** ETag on GET answers and If-None-Match → 304 (mobile: a phone on a slow link). */
  readonly etag?: boolean;
  /** gzip/brotli by Accept-Encoding for answers over 1 KiB (mobile). */
  readonly compression?: boolean;
  /** CORS for exactly these origins (web: a browser app); unset: no CORS headers at all. */
  readonly cors?: CorsPolicy;
  /**
   * Headers the app gives answers of its own choosing (partner: v1's deprecation notice): called for every answer
   * (an `onSend` hook), the router's refusals included, which run no hook of Fastify's. Must not send.
   */
  readonly answerHeaders?: (request: FastifyRequest, reply: FastifyReply) => void;
}

export interface BffApp {
  readonly nest: NestFastifyApplication;
  readonly logger: Logger;
  /** Requests accepted and not answered yet: runBff answers them with a 503 when SHUTDOWN_DRAIN_MS is over. */
  readonly unanswered: UnansweredRequests;
  /** Writes the summaries of repeated warnings still being counted (closing the app does it too). */
  flushWarnings(): void;
}

/**
 * Builds a BFF on NestJS + Fastify with the door in front of it: request ids, IP lists, path hygiene, body
 * limit, the one problem filter for every error (including Fastify's own), access logs and metrics.
 * Everything here runs once at start. The app module brings its controllers, guards and services.
 * @throws ConfigError a TLS certificate or key file that cannot be used (see {@link checkTlsFiles})
 * @throws StartupError a TLS set-up that cannot work (see `serverOptionsOf`)
 */
export async function createBffApp(rootModule: unknown, options: BffAppOptions): Promise<BffApp> {
  const serverOptions = serverOptionsOf({ ...DEFAULT_LIMITS, ...definedOf(options.server) });
  const certificateWarnings = checkTlsFiles(serverOptions, options.server, Date.now());
  const logger = createLogger({ app: options.app, level: options.server.logLevel, destination: options.logDestination });
  for (const { fields, message } of certificateWarnings) logger.warn(fields, message);
  const everyone = options.server.trustProxy.filter((c) => c.prefix === 0);
  if (everyone.length > 0) {
    logger.warn(
      { trustProxy: everyone.map((c) => `${c.address}/0`) },
      'TRUST_PROXY trusts every address: any client can choose the address it is known by with X-Forwarded-For ' +
        '(IP_ALLOW, IP_DENY, per-IP rate limits, the access log); list only your proxies unless they are the only way in',
    );
  }
  // set once Nest has built the app; a refusal before that (none: nothing listens yet) would go unmeasured
  const observed: { metrics?: HttpMetrics; lifecycle?: Lifecycle } = {};
  // answers no CORS hook saw (Fastify's own errors, the door's refusals) get the CORS headers of errors
  const corsForErrors = options.cors ? corsForErrorsOf(options.cors) : undefined;
  const recordRefusal: RefusalRecorder = (status, requestId, code, ip, seen) => {
    observed.metrics?.observe('unmatched', seen?.method ?? 'UNPARSED', status, 0);
    logger.info(
      {
        reqId: requestId,
        method: seen?.method,
        route: 'unmatched',
        path: seen === undefined ? undefined : shownPathOf(seen.url),
        ip,
        status,
        durationMs: 0,
        refused: code,
      },
      'request',
    );
  };
  // what every answer varies with, for the refusals written below Fastify (the security and CORS hooks never see them)
  const vary = varyOf(Boolean(options.compression), options.cors !== undefined);
  const clientErrorHandler = clientErrorHandlerOf(recordRefusal, vary);
  // what the security hook sets on every answer it sees, for the router's refusals, which it misses
  const tls = Boolean(options.server.tlsCertFile);
  const routerRefusalHeaders = answerHeadersOf(tls, Boolean(options.compression));
  const trustProxy = proxyAddrRangesOf(options.server.trustProxy);
  const trusted = proxyTrustOf(trustProxy);
  // Fastify's router refused the request (a path it cannot decode, a path parameter too long) before any hook: it
  // is answered with a problem (4xx/5xx), with what the hooks give every answer — the security headers, CORS, a
  // closed connection while draining, one access line and a metric sample. Its `instance` is `/`, as for the
  // parser's refusals: the path it could not route is not repeated (a 414 echoed the whole path).
  const answerRouterRefusal = (error: Error, request: FastifyRequest, reply: FastifyReply) => {
    routerRefusalHeaders(reply);
    corsForErrors?.(request, reply, true);
    const { lifecycle } = observed;
    if (lifecycle !== undefined && closesConnection(request, reply, lifecycle)) {
      reply.header('connection', 'close');
    }
    options.answerHeaders?.(request, reply);
    const { status } = sendProblem(reply, request, fromFrameworkError(error), '/');
    // counted on no route, like the parser's refusals; its `ip` with TRUST_PROXY applied (the request Fastify builds
    // for these ignores it: its `ip` is always the socket's)
    const ip = logger.isLevelEnabled('info') ? clientAddressOf(request.raw, trusted) : undefined;
    recordRefusal(status, request.id, (error as { code?: string }).code, ip, request);
  };
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    // one access line per request, written by installAccessHooks, instead of Fastify's two
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestIdOf,
    // absolute-form request targets (RFC 9112 §3.2.2) are routed by their path
    rewriteUrl: (request: { url?: string }) => originFormOf(request.url ?? '/'),
    trustProxy,
    bodyLimit: options.server.bodyLimitBytes,
    clientErrorHandler,
    frameworkErrors: answerRouterRefusal,
    // Nest middleware is not used (the door runs as Fastify hooks), so @fastify/middie is not loaded.
    skipMiddie: true,
    // while draining, the door hook answers a problem 503 itself (Fastify's own 503 is not problem+json)
    return503OnClosing: false,
    ...serverOptions,
  } as ConstructorParameters<typeof FastifyAdapter>[0]);

  const nest = await NestFactory.create<NestFastifyApplication>(rootModule as never, adapter, {
    logger: new BffNestLogger(logger),
    abortOnError: false,
    // request bodies are parsed by installJsonBodyParser / installXmlBodyParser (depth caps, no form bodies)
    bodyParser: false,
  });
  const instance = adapter.getInstance() as unknown as FastifyInstance;
  installProtocolRefusals(instance.server, recordRefusal, (request) => clientAddressOf(request, trusted), vary, requestIdOf);
  // The access line's `ip`: a socket closed before its answer (a 499) no longer tells its peer's address unless it was
  // read before; read once per connection as it opens (one getpeername), then every request on it finds it cached.
  instance.server.on(tls ? 'secureConnection' : 'connection', (socket: Socket) => void socket.remoteAddress);
  const metrics = nest.get(HttpMetrics);
  observed.metrics = metrics;
  const lifecycle = nest.get(Lifecycle);
  observed.lifecycle = lifecycle;
  const tracing = await createTracing(options.app, options.server.otlpEndpoint);
  if (tracing) instance.addHook('onClose', (_instance, done) => void tracing.shutdown().then(() => done(), () => done()));
  installSecurityHooks(instance, tls, Boolean(options.compression));
  const door = installDoorHooks(instance, options.server, metrics, lifecycle, tracing?.tracer);
  // a client gone before its answer: the GET/HEAD calls of its request are cancelled (callContextOf), its line says 499
  installClientGoneHook(instance);
  installAccessHooks(instance, metrics, logger);
  const answerHeaders = options.answerHeaders;
  if (answerHeaders !== undefined) {
    instance.addHook('onSend', (request, reply, payload, done) => {
      answerHeaders(request, reply);
      done(null, payload);
    });
  }
  if (options.etag) installEtagHook(instance);
  else installIfMatchHook(instance);
  if (options.compression) {
    installAcceptEncodingWildcard(instance, COMPRESSION.encodings);
    await nest.register(compress as never, COMPRESSION);
  }
  // after compress's onRoute hook: a HEAD answer carries its GET's header fields (see head-route.ts)
  installHeadLikeGet(instance);
  // the route patterns a 405 or an OPTIONS 204 is counted under (routes are registered by nest.init below)
  installRoutePatterns(instance);
  if (options.cors) nest.enableCors(corsOptionsOf(options.cors));
  if (corsForErrors !== undefined) {
    installCorsFallback(instance, corsForErrors);
    installPlainOptions(instance, corsForErrors);
  }
  installJsonBodyParser(instance, options.server.bodyLimitBytes);
  installXmlBodyParser(instance, options.server.bodyLimitBytes);
  installOtherBodyParser(instance, options.server.bodyLimitBytes);
  const problems = new ProblemFilter(logger, undefined, answerRouterRefusal, { headers: routerRefusalHeaders, refusalOf: door.refusalOf });
  nest.useGlobalFilters(problems);
  // before runBff flushes the log: a repeated warning's count still being gathered is written, not lost
  instance.addHook('onClose', (_instance, done) => {
    problems.flushWarnings();
    done();
  });
  // Step 5 as Fastify hooks: content negotiation (JSON or XML after the handler), degraded answers; its 406 is the
  // last global guard, so that it comes after the app's APP_GUARDs (registered while Nest scanned the module, before
  // this call): 401, 429, 403 first, then 406, then the body's 400/415 (BodyDecodingGuard), then the pipes' 400.
  installRepresentationHooks(instance);
  // then the request body, read but not decoded until the request is authenticated, limited and allowed
  nest.useGlobalGuards(new AcceptableGuard(), new BodyDecodingGuard());
  // DTO validation of query and body: unknown fields are refused, values converted to the DTO's types (a query
  // already validated is answered from memory: QueryValidationPipe).
  nest.useGlobalPipes(new QueryValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: false }));
  // Signals are handled by runBff (drain, then exit 0), not by Nest's shutdown hooks (which re-raise the signal).
  await nest.init();
  return { nest, logger, unanswered: door.unanswered, flushWarnings: () => problems.flushWarnings() };
}
