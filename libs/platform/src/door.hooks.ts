import { BlockList } from 'node:net';
import { ProblemError } from '@frontdoor/errors';
import { RequestTrace, type CallObserver, type HttpMetrics, type Lifecycle } from '@frontdoor/observability';
import { principalOf } from '@frontdoor/rbac';
import type { Tracer } from '@opentelemetry/api';
import type { Cidr } from '@frontdoor/config';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { CLIENT_CLOSED_REQUEST, isClientGone } from './client-gone.hook';
import { parserStatusOf, releaseServedReply, trackServedReply } from './client-error';
import { findPathProblem, findTargetProblem } from './path-hygiene';
import { instanceOf } from './problem-response';

export interface DoorSettings {
  readonly ipAllow: readonly Cidr[];
  readonly ipDeny: readonly Cidr[];
}

/** The request's trace context (set by the door hook on every request), read by `callContextOf` and the access log. */
export function traceOf(request: FastifyRequest): RequestTrace | undefined {
  return (request as FastifyRequest & { trace?: RequestTrace }).trace;
}

function blockListOf(cidrs: readonly Cidr[]): BlockList | undefined {
  if (cidrs.length === 0) return undefined;
  const list = new BlockList();
  for (const c of cidrs) list.addSubnet(c.address, c.prefix, c.family);
  return list;
}

function familyOf(ip: string): 'ipv4' | 'ipv6' {
  return ip.includes(':') ? 'ipv6' : 'ipv4';
}

/**
 * Phase 0 and 1 of the pipeline (STYLE.md), as Fastify `onRequest` hooks because they must run for every request,
 * matched or not, before any guard: the request id header, `IP_ALLOW`/`IP_DENY`, and path hygiene. A refusal is
 * passed to the error handler, so it is rendered by the one global filter.
 */
export function installDoorHooks(instance: FastifyInstance, settings: DoorSettings, observer: CallObserver, lifecycle: Lifecycle, tracer?: Tracer): void {
  const allow = blockListOf(settings.ipAllow);
  const deny = blockListOf(settings.ipDeny);
  instance.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    trackServedReply(request, reply);
    (request as FastifyRequest & { trace?: RequestTrace }).trace = new RequestTrace(request.headers.traceparent, request.method, observer, tracer, request.headers.tracestate);
    // Draining (SIGTERM): a request arriving on a kept-alive connection gets a problem 503 and the connection closes
    if (lifecycle.draining) {
      if (request.raw.httpVersionMajor < 2) reply.header('connection', 'close');
      return done(new ProblemError('service-unavailable', 'This instance is shutting down; retry, another instance will answer.', { headers: { 'Retry-After': '1' } }));
    }
    if (allow || deny) {
      const ip = request.ip;
      const family = familyOf(ip);
      if ((deny && deny.check(ip, family)) || (allow && !allow.check(ip, family))) {
        return done(new ProblemError('forbidden', 'Requests from this address are not allowed.'));
      }
    }
    const pathProblem = findPathProblem(request.url);
    if (pathProblem) return done(new ProblemError('invalid-path', `The request path is invalid: ${pathProblem}.`));
    const targetProblem = findTargetProblem(request.url);
    if (targetProblem) return done(new ProblemError('bad-request', `The request target is invalid: ${targetProblem}.`));
    done();
  });
  // Draining: an answer to a request accepted before SIGTERM closes its HTTP/1 connection, so that a kept-alive
  // socket does not hold the drain open until the client's idle timeout (HTTP/2 sessions get a GOAWAY from runBff).
  instance.addHook('onSend', (request, reply, payload, done) => {
    if (lifecycle.draining && request.raw.httpVersionMajor < 2) reply.header('connection', 'close');
    done(null, payload);
  });
}

type Logged = FastifyRequest & { accessLogged?: true; answering?: FastifyReply };

/**
 * One access-log line and one metrics observation per request; route patterns only, never raw paths' queries. A
 * request whose client went away before its answer was handed over is recorded with status 499 (nginx's "client
 * closed request"), once its handler is done, so that the line holds the outcome of its upstream calls (cancelled
 * for GET/HEAD, run to their answer otherwise). Fastify calls `onResponse` for such a request never (HTTP/1: the
 * answer never finishes), at once before the handler is done (HTTP/2: the stream closed), or after it (HTTP/2
 * HEAD); so its line is written when the handler hands over its answer (`onSend`, which Fastify still runs), and
 * `onResponse` skips it either way. A client that leaves while its answer is being written (handed over, never
 * finished) gets its line from `onRequestAbort`, with the status it was sent.
 */
export function installAccessHooks(instance: FastifyInstance, metrics: HttpMetrics, logger: Logger): void {
  instance.addHook('onSend', (request, reply, payload, done) => {
    if (isClientGone(reply)) {
      (request as Logged).accessLogged = true;
      // the parser refused the rest of it (its body), and said so to the client: that status, not 499
      recordAccess(request, reply, parserStatusOf(request) ?? CLIENT_CLOSED_REQUEST, metrics, logger);
    } else {
      (request as Logged).answering = reply;
    }
    done(null, payload);
  });
  // The client left while its answer was being written (a large answer, a slow client): onSend saw it still there,
  // and onResponse never comes for an answer that does not finish (HTTP/1 connection closed, HTTP/2 stream reset).
  // The line is written here, with the status the client was sent (an HTTP/1 answer queued behind a pipelined one
  // counts as sent: it was handed over).
  instance.addHook('onRequestAbort', (request, done) => {
    const reply = (request as Logged).answering;
    if (reply !== undefined && (request as Logged).accessLogged !== true) {
      (request as Logged).accessLogged = true;
      recordAccess(request, reply, parserStatusOf(request) ?? reply.statusCode, metrics, logger);
    }
    done();
  });
  instance.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
    releaseServedReply(request, reply);
    // written already at onSend, or (HTTP/2) the client left and the handler has not answered yet: onSend will write it
    if ((request as Logged).accessLogged !== true && (reply.sent || !isClientGone(reply))) {
      (request as Logged).accessLogged = true; // an HTTP/1 answer cut off mid-write gets here and to onRequestAbort
      recordAccess(request, reply, parserStatusOf(request) ?? reply.statusCode, metrics, logger);
    }
    done();
  });
}

function recordAccess(request: FastifyRequest, reply: FastifyReply, status: number, metrics: HttpMetrics, logger: Logger): void {
  const route = request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched');
  const ms = reply.elapsedTime;
  metrics.observe(route, request.method, status, ms / 1000);
  const trace = traceOf(request);
  trace?.finish(route, request.method, status);
  if (logger.isLevelEnabled('info')) {
    const principal = principalOf(request);
    logger.info(
      {
        reqId: request.id,
        traceId: trace?.traceId,
        method: request.method,
        route,
        path: instanceOf(request.url),
        status,
        durationMs: Math.round(ms * 10) / 10,
        principal: principal.kind === 'anonymous' ? undefined : `${principal.kind}:${principal.id}`,
        upstreams: trace && trace.calls.length > 0 ? trace.calls : undefined,
      },
      'request',
    );
  }
}
