import type { EventEmitter } from 'node:events';
import type { Http2Session } from 'node:http2';
import { Lifecycle } from '@frontdoor/observability';
import type { BffApp } from './create-bff-app';
import { StartupError } from './server-options';

export interface ListenSettings {
  readonly port: number;
  readonly host: string;
  /** SHUTDOWN_DRAIN_MS: how long accepted requests may take to finish after SIGTERM. */
  readonly shutdownDrainMs: number;
}

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

/**
 * `main.ts` of every BFF: build the app and listen, turning start-up failures (port in use, bad address, bad TLS
 * files) into one clear line and a non-zero exit instead of a stack trace; then drain gracefully on SIGTERM or
 * SIGINT: readiness answers 503 at once, the listener stops accepting connections, requests already accepted
 * (slow upstream calls included) finish, pools and stores close, and the process exits 0 — or 1 if draining takes
 * longer than `shutdownDrainMs`.
 */
export async function runBff(name: string, listen: ListenSettings, create: () => Promise<BffApp>): Promise<void> {
  let app: BffApp | undefined;
  let sessions = new Set<Http2Session>();
  try {
    app = await create();
    sessions = trackHttp2Sessions(app.nest.getHttpServer() as EventEmitter);
    await app.nest.listen(listen.port, listen.host);
    app.logger.info({ port: listen.port, host: listen.host }, `${name} listening`);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason =
      error instanceof StartupError
        ? error.message
        : code === 'EADDRINUSE'
          ? `port ${listen.port} is already in use`
          : code === 'EADDRNOTAVAIL'
            ? `address ${listen.host} is not available`
            : (error as Error).message;
    process.stderr.write(`${name} could not start: ${reason}\n`);
    await app?.nest.close().catch(() => undefined);
    process.exit(1);
  }
  const running = app;
  let draining = false;
  const drain = (signal: NodeJS.Signals) => {
    if (draining) return;
    draining = true;
    running.logger.info({ signal, drainMs: listen.shutdownDrainMs }, `${name} draining`);
    running.nest.get(Lifecycle).startDraining();
    // HTTP/2: a GOAWAY (NO_ERROR) on every session; its streams in flight finish, then the session closes
    for (const session of sessions) session.close();
    // Answers sent from now on say `Connection: close` (door hooks); a socket that went idle in between is closed here
    const server = running.nest.getHttpServer() as { closeIdleConnections?: () => void };
    const sweep = setInterval(() => server.closeIdleConnections?.(), 250);
    sweep.unref();
    // log lines are buffered (4 KiB writes): write them out before exiting
    const exit = (code: number) => running.logger.flush(() => process.exit(code));
    const deadline = setTimeout(() => {
      running.logger.error(`${name} did not drain within ${listen.shutdownDrainMs} ms; exiting`);
      exit(1);
    }, listen.shutdownDrainMs);
    deadline.unref();
    running.nest.close().then(
      () => {
        running.logger.info(`${name} stopped`);
        exit(0);
      },
      (error: unknown) => {
        running.logger.error({ err: error }, `${name} failed to stop cleanly`);
        exit(1);
      },
    );
  };
  process.once('SIGTERM', drain);
  process.once('SIGINT', drain);
}
