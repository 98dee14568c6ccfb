import type { EventEmitter } from 'node:events';
import type { Http2Session } from 'node:http2';
import { ConfigError, configProblem, type ConfigReport } from '@frontdoor/config';
import { Lifecycle, createLogger } from '@frontdoor/observability';
import pino, { type Logger } from 'pino';
import type { BffApp } from './create-bff-app';
import { StartupError } from './server-options';

export interface ListenSettings {
  readonly port: number;
  readonly host: string;
  /** SHUTDOWN_DRAIN_MS: how long accepted requests may take to finish after SIGTERM. */
  readonly shutdownDrainMs: number;
  /** ROUTE_DEADLINE_MS: how long a route may wait for its upstreams (warned about at start when over the drain). */
  readonly routeDeadlineMs?: number;
  /** LOG_LEVEL: for the `configuration` line of a start that failed before the app had its logger. Default `info`. */
  readonly logLevel?: string;
}

/** The longest the log may take to be written out before the process exits; then it exits anyway. */
export const EXIT_LOG_FLUSH_MS = 1000;

/** Requests answered 503 at the end of the drain: how long their answers may take to go out before the exit. */
const CUT_SHORT_WRITE_MS = 500;

/**
 * The HTTP/2 sessions open on `server` (none over HTTP/1). Draining closes them: neither Node's `server.close()` nor
 * Fastify (without `forceCloseConnections`, which would also cut HTTP/1 requests in flight) ends a kept-alive session,
 * so one idle browser or load-balancer session would hold the drain open until SHUTDOWN_DRAIN_MS and an exit 1.
 */
function trackHttp2Sessions(server: EventEmitter): Set<Http2Session> {
  const sessions = new Set<Http2Session>();
  server.on('session', (session: Http2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  return sessions;
}

/** EX_CONFIG (sysexits.h): what `loadConfigOrExit` exits with, and a start stopped by a configured value too. */
const EXIT_CONFIG = 78;

/** A listen error caused by HOST or PORT themselves (not by the moment: another process on the port, DNS down). */
function listenProblemOf(code: string | undefined, listen: ListenSettings): string | undefined {
  if (code === 'EADDRNOTAVAIL') {
    return configProblem('HOST', 'must be an address of this machine', listen.host);
  }
  if (code === 'ENOTFOUND') {
    return configProblem('HOST', 'must be an IP address or a host name that resolves', listen.host);
  }
  if (code === 'EACCES') {
    const problem = 'must be a port this process may listen on (ports below 1024 need privileges)';
    return configProblem('PORT', problem, String(listen.port));
  }
  return undefined;
}

/**
 * What a failed start writes to stderr, and its exit code. A configured value found unusable by trying it — a file's
 * contents (a ConfigError from the app's factories or the TLS check, a StartupError from the TLS set-up) or, while
 * listening, HOST or PORT — is reported as `loadConfigOrExit` reports a bad variable: one `Invalid configuration`
 * report naming it, exit 78. A port held by another process may be free on the next try (a restart, the old
 * instance gone): one line naming the port, exit 1, as any other failure.
 * @param listening whether `error` came from the listen (not from building the app)
 */
export function startupFailureOf(
  name: string,
  error: unknown,
  listen: ListenSettings,
  listening: boolean,
): { readonly exitCode: number; readonly message: string } {
  const code = (error as { code?: unknown } | null)?.code;
  const listenProblem = listening && typeof code === 'string' ? listenProblemOf(code, listen) : undefined;
  const config =
    error instanceof ConfigError
      ? error
      : error instanceof StartupError
        ? new ConfigError([error.message])
        : listenProblem !== undefined
          ? new ConfigError([listenProblem])
          : undefined;
  if (config !== undefined) return { exitCode: EXIT_CONFIG, message: config.message };
  const reason =
    listening && code === 'EADDRINUSE'
      ? `port ${listen.port} is already in use`
      : String((error as Error | null)?.message ?? error);
  return { exitCode: 1, message: `${name} could not start: ${reason}` };
}

/**
 * The start-up `configuration` line (every variable, its value in effect masked, and where it came from) and, with
 * NODE_ENV=production, one warning naming the variables still on the local demo estate's defaults, and one per key
 * source fetched over plain http from another machine. Not refusals: such a gateway may be meant (a production-mode
 * trial of the demo; an in-cluster address behind a mesh that encrypts the hop).
 */
function logConfigReport(logger: Logger, report: ConfigReport): void {
  logger.info({ configuration: report.configuration }, 'configuration');
  for (const name of report.plainHttpKeySources) {
    logger.warn(
      { nodeEnv: 'production', variable: name },
      `${name} is a plain http:// URL to another machine (NODE_ENV=production): ` +
        'whoever can tamper with that fetch can publish a key of their own and sign any user token with it; ' +
        'use https://',
    );
  }
  const names = report.demoDefaults;
  if (names.length === 0) return;
  const one = names.length === 1;
  logger.warn(
    { nodeEnv: 'production', variables: names },
    `${names.join(', ')} ${one ? 'takes' : 'take'} the local demo estate's default${one ? '' : 's'} ` +
      `(NODE_ENV=production): set ${one ? 'it' : 'them'}, ` +
      'or this gateway trusts the dev identity provider / calls 127.0.0.1',
  );
}

/**
 * `main.ts` of every BFF: build the app and listen, turning start-up failures into one clear message and a non-zero
 * exit instead of a stack trace (see {@link startupFailureOf}: a bad value, a TLS or key file that cannot be used, a
 * listen address that is not this machine's: exit 78 as `loadConfigOrExit`; the port in use: exit 1) — nothing
 * listens then; then drain gracefully on SIGTERM or
 * SIGINT: readiness answers 503 at once, the listener stops accepting connections, requests already accepted
 * (slow upstream calls included) finish, pools and stores close, and the process exits 0. Requests still running
 * when `shutdownDrainMs` is over are answered 503 (see `UnansweredRequests`), and the process exits 1. A second
 * signal during the drain exits 1 at once, the log written out first. The log gets at most {@link EXIT_LOG_FLUSH_MS}
 * to be written at exit (stdout that nobody reads must not hold the process: see `bufferedDestination`).
 * @param report what the configuration in effect is (`configReportOf(schema)`): logged once the app's logger exists,
 *   before listening (see {@link logConfigReport}); when building the app failed, on a logger of its own before the
 *   failure's message
 */
export async function runBff(
  name: string,
  listen: ListenSettings,
  create: () => Promise<BffApp>,
  report?: ConfigReport,
): Promise<void> {
  let app: BffApp | undefined;
  let sessions = new Set<Http2Session>();
  let listening = false;
  try {
    app = await create();
    if (report !== undefined) logConfigReport(app.logger, report);
    sessions = trackHttp2Sessions(app.nest.getHttpServer() as EventEmitter);
    listening = true;
    await app.nest.listen(listen.port, listen.host);
    app.logger.info({ port: listen.port, host: listen.host }, `${name} listening`);
  } catch (error) {
    if (app === undefined && report !== undefined) {
      // the app (and its logger) could not be made: the configuration line still comes first, as at every start, on
      // a logger of its own writing synchronously (the exit below does not wait for a buffer)
      const destination = pino.destination({ fd: 1, sync: true });
      logConfigReport(createLogger({ app: name, level: listen.logLevel ?? 'info', destination }), report);
    }
    const failure = startupFailureOf(name, error, listen, listening);
    process.stderr.write(`${failure.message}\n`);
    await app?.nest.close().catch(() => undefined);
    process.exit(failure.exitCode);
  }
  const running = app;
  const { routeDeadlineMs, shutdownDrainMs } = listen;
  if (routeDeadlineMs !== undefined && routeDeadlineMs > shutdownDrainMs) {
    running.logger.warn(
      { routeDeadlineMs, shutdownDrainMs },
      `ROUTE_DEADLINE_MS (${routeDeadlineMs}) is longer than SHUTDOWN_DRAIN_MS (${shutdownDrainMs}): ` +
        'on SIGTERM, a request still waiting for its upstream when the drain ends is answered 503',
    );
  }
  let draining = false;
  // the code the process exits with, once decided; the log is being written out then
  let exitCode: number | undefined;
  // log lines are buffered (32 KiB writes): write them out before exiting, within EXIT_LOG_FLUSH_MS (then pino's
  // exit hook writes what it still can, bounded too)
  const exit = (code: number) => {
    if (exitCode !== undefined) return;
    exitCode = code;
    const giveUp = setTimeout(() => process.exit(code), EXIT_LOG_FLUSH_MS);
    running.logger.flush(() => {
      clearTimeout(giveUp);
      process.exit(code);
    });
  };
  const drain = (signal: NodeJS.Signals) => {
    running.logger.info({ signal, drainMs: shutdownDrainMs }, `${name} draining`);
    running.nest.get(Lifecycle).startDraining();
    // HTTP/2: a GOAWAY (NO_ERROR) on every session; its streams in flight finish, then the session closes
    for (const session of sessions) session.close();
    // Answers sent from now on say `Connection: close` (door hooks); a socket that went idle in between is closed here
    const server = running.nest.getHttpServer() as { closeIdleConnections?: () => void };
    const sweep = setInterval(() => server.closeIdleConnections?.(), 250);
    sweep.unref();
    let drained = true;
    const deadline = setTimeout(() => {
      drained = false;
      // each gets its 503 and access line now; the connections they close let the close below end, or the exit
      // comes CUT_SHORT_WRITE_MS later anyway (an answer still being written to a slow client is cut)
      const unanswered = running.unanswered.answerAll();
      running.logger.error(
        { drainMs: shutdownDrainMs, unanswered },
        `${name} did not drain within ${shutdownDrainMs} ms: ${unanswered} request(s) answered 503; exiting`,
      );
      running.flushWarnings();
      setTimeout(() => exit(1), CUT_SHORT_WRITE_MS);
    }, shutdownDrainMs);
    deadline.unref();
    running.nest.close().then(
      () => {
        clearTimeout(deadline);
        running.logger.info(`${name} stopped`);
        exit(drained ? 0 : 1);
      },
      (error: unknown) => {
        clearTimeout(deadline);
        running.logger.error({ err: error }, `${name} failed to stop cleanly`);
        exit(1);
      },
    );
  };
  // A second signal during the drain (an operator's second Ctrl-C, a supervisor's second SIGTERM): out now, with
  // every line logged so far. Node's default action (the handler was `once`) killed it with its log unwritten.
  const forcedExit = (signal: NodeJS.Signals) => {
    const code = exitCode ?? 1;
    if (exitCode === undefined) {
      running.flushWarnings();
      running.logger.error(
        { signal, unanswered: running.unanswered.size },
        `${name} forced exit: ${signal} received while draining`,
      );
    }
    flushLogSync(running.logger);
    process.exit(code);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (draining) return forcedExit(signal);
    draining = true;
    drain(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/**
 * Writes out the log's buffered lines now, synchronously: the destination's `flushSync` (bounded, see
 * `bufferedDestination`); a destination without one (a test's stream) holds nothing back.
 */
function flushLogSync(logger: Logger): void {
  const destination = (logger as unknown as Record<symbol, Flushable | undefined>)[pino.symbols.streamSym];
  destination?.flushSync?.();
}

interface Flushable {
  flushSync?(): void;
}
