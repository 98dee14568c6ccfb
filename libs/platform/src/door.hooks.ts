import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { BlockList } from 'node:net';
import proxyAddr from '@fastify/proxy-addr';
import { degradedOf } from '@frontdoor/aggregation';
import { ProblemError } from '@frontdoor/errors';
import { RequestTrace, accessLineWriter, type AccessLine, type CallObserver, type HttpMetrics, type Lifecycle } from '@frontdoor/observability';
import { principalOf } from '@frontdoor/rbac';
import type { Tracer } from '@opentelemetry/api';
import type { Cidr } from '@frontdoor/config';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { CLIENT_CLOSED_REQUEST, isClientGone } from './client-gone.hook';
import { parserStatusOf, releaseServedReply, trackServedReply } from './client-error';
import { onHttp2Stream } from './http2-stream';
import { answeredRouteOf } from './method-not-allowed';
import { findPathProblem, findTargetProblem } from './path-hygiene';
import { sendProblem, shownPathOf } from './problem-response';

export interface DoorSettings {
  readonly ipAllow: readonly Cidr[];
  readonly ipDeny: readonly Cidr[];
}

/** The request's trace context (set by the door hook on every request), read by `callContextOf` and the access log. */
export function traceOf(request: FastifyRequest): RequestTrace | undefined {
  return (request as FastifyRequest & { trace?: RequestTrace }).trace;
}

export function blockListOf(cidrs: readonly Cidr[]): BlockList | undefined {
  if (cidrs.length === 0) return undefined;
  const list = new BlockList();
  for (const c of cidrs) list.addSubnet(c.address, c.prefix, c.family);
  return list;
}

function familyOf(ip: string): 'ipv4' | 'ipv6' {
  return ip.includes(':') ? 'ipv6' : 'ipv4';
}

/** Where the door leaves a request's reply on its raw response (young object to young object: nothing for the GC). */
const REPLY_OF = Symbol('frontdoor.reply');
type Answerable = { [REPLY_OF]?: FastifyReply };
/** Node's HTTP/1 server keeps the response a connection is answering on its socket (`_http_server.js`). */
type ServingSocket = Socket & { _httpMessage?: Answerable & FastifyReply['raw'] };

/**
 * The requests accepted and not answered yet (their handler still runs), for the end of a drain. Found from the
 * HTTP/1 connections open (one Set insertion per connection, not per request) through the response each is
 * answering, on which the door's `onRequest` leaves its Fastify reply. A Map of every request in flight, filled and
 * emptied per request, cost 40–130 µs of GC work per request off the main thread in the benchmark
 * (docs/benchmarks.md): a global structure the old generation holds, written on every request. HTTP/2 streams are
 * not found here: their sessions got a GOAWAY when the drain began and are closed with the server.
 */
export class UnansweredRequests {
  private readonly sockets = new Set<ServingSocket>();

  /** The server's connections, tracked from their opening to their close. */
  watch(server: { on(event: string, listener: (socket: Socket) => void): unknown }, tls: boolean): void {
    server.on(tls ? 'secureConnection' : 'connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  /** Door hooks: the request is accepted. */
  accepted(request: FastifyRequest, reply: FastifyReply): void {
    if (!onHttp2Stream(request.raw)) (reply.raw as Answerable)[REPLY_OF] = reply;
  }

  /** The replies not sent yet, one per connection at most (the response it is answering). */
  private pending(): FastifyReply[] {
    const replies: FastifyReply[] = [];
    for (const socket of this.sockets) {
      const reply = socket._httpMessage?.[REPLY_OF];
      if (reply !== undefined && !reply.sent && !reply.raw.headersSent) replies.push(reply);
    }
    return replies;
  }

  get size(): number {
    return this.pending().length;
  }

  /**
   * SHUTDOWN_DRAIN_MS is over: each request still waiting for its handler is answered now with a problem 503 (its
   * connection closed), which goes through the hooks like any answer (access line, metric); what its handler sends
   * later is not sent. Returns how many were answered.
   */
  answerAll(): number {
    const replies = this.pending();
    for (const reply of replies) sendProblem(reply, reply.request, new ProblemError('service-unavailable', CUT_SHORT, RETRY_LATER));
    return replies.length;
  }
}

const CUT_SHORT =
  'This instance is shutting down and could not finish the request in time; its outcome is unknown.';
const RETRY_LATER = { headers: { 'Retry-After': '1' } };

/** The door's refusal of a request (a 503 while draining, 403 from the IP lists, 400 for its path); undefined: none. */
export type DoorRefusal = (request: FastifyRequest, reply: FastifyReply) => ProblemError | undefined;

/**
 * Phase 0 and 1 of the pipeline (STYLE.md), as Fastify `onRequest` hooks because they must run for every request,
 * matched or not, before any guard: the request id header, `IP_ALLOW`/`IP_DENY`, and path hygiene. A refusal is
 * passed to the error handler, so it is rendered by the one global filter. Returns the requests not answered yet,
 * and the door's checks (draining, IP lists, path hygiene) for a request that reached an answer without the hook.
 */
export function installDoorHooks(
  instance: FastifyInstance,
  settings: DoorSettings,
  observer: CallObserver,
  lifecycle: Lifecycle,
  tracer?: Tracer,
): { readonly unanswered: UnansweredRequests; readonly refusalOf: DoorRefusal } {
  const allow = blockListOf(settings.ipAllow);
  const deny = blockListOf(settings.ipDeny);
  const unanswered = new UnansweredRequests();
  const refusalOf: DoorRefusal = (request, reply) => {
    // Draining (SIGTERM): a request arriving on a kept-alive connection gets a problem 503 and the connection closes
    if (lifecycle.draining) {
      if (!onHttp2Stream(request.raw)) reply.header('connection', 'close');
      return new ProblemError('service-unavailable', 'This instance is shutting down; retry, another instance will answer.', { headers: { 'Retry-After': '1' } });
    }
    if (allow || deny) {
      const ip = request.ip;
      const family = familyOf(ip);
      if ((deny && deny.check(ip, family)) || (allow && !allow.check(ip, family))) {
        return new ProblemError('forbidden', 'Requests from this address are not allowed.');
      }
    }
    const pathProblem = findPathProblem(request.url);
    if (pathProblem) return new ProblemError('invalid-path', `The request path is invalid: ${pathProblem}.`);
    const targetProblem = findTargetProblem(request.url);
    if (targetProblem) return new ProblemError('bad-request', `The request target is invalid: ${targetProblem}.`);
    return undefined;
  };
  // a TLS server (https, or HTTP/2 with HTTP/1.1 allowed) hands its connections over once the handshake is done
  unanswered.watch(instance.server, typeof (instance.server as { setSecureContext?: unknown }).setSecureContext === 'function');
  instance.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    unanswered.accepted(request, reply);
    trackServedReply(request, reply);
    (request as FastifyRequest & { trace?: RequestTrace }).trace = new RequestTrace(request.headers.traceparent, request.method, observer, tracer, request.headers.tracestate);
    done(refusalOf(request, reply));
  });
  // Draining: an answer to a request accepted before SIGTERM closes its HTTP/1 connection, so that a kept-alive
  // socket does not hold the drain open until the client's idle timeout (HTTP/2 sessions get a GOAWAY from runBff).
  // MAX_REQUESTS_PER_SOCKET: the last answer a connection may carry closes it too. Node 20 (`_http_server.js`) marks
  // that answer (`maxRequestsOnConnectionReached`) and writes `Connection: close` on it, but leaves the connection
  // open, and answers every later request on it with a bare `503` of its own (text, no problem, no request id, no
  // security header, no access line; the `dropRequest` event cannot change it): a client that pipelined, or did not
  // read the `close`, got 503s for requests nothing was wrong with, which RFC 9112 §9.6 forbids (a server that sends
  // `close` must close and process no further request). Setting the header here makes Node close the connection once
  // that answer is written (as nginx does at `keepalive_requests`): requests pipelined behind it are never answered
  // (Node's 503s for them are queued behind it and dropped with the connection), and the client sends them again on
  // a new connection, which is the limit's purpose (RFC 9112 §9.3.2: a client retries what a closed connection left
  // unanswered). A 503 problem would have cost the client the same reconnection plus an error to handle.
  instance.addHook('onSend', (request, reply, payload, done) => {
    if (closesConnection(request, reply, lifecycle)) reply.header('connection', 'close');
    done(null, payload);
  });
  return { unanswered, refusalOf };
}

/** Whether this answer closes its HTTP/1 connection: the app is draining, or the connection may carry no more. */
export function closesConnection(
  request: FastifyRequest,
  reply: FastifyReply,
  lifecycle: Lifecycle,
): boolean {
  const last = lifecycle.draining || (reply.raw as LimitedResponse).maxRequestsOnConnectionReached === true;
  return last && !onHttp2Stream(request.raw);
}

/** Node's `ServerResponse` marks the last answer `maxRequestsPerSocket` allows on its connection (undocumented). */
type LimitedResponse = FastifyReply['raw'] & { readonly maxRequestsOnConnectionReached?: boolean };

type Logged = FastifyRequest & { accessLogged?: true; answering?: FastifyReply };

/**
 * One access-log line and one metrics observation per request; route patterns only, never raw paths' queries. A
 * request whose client went away before its answer was handed over is recorded with status 499 (nginx's "client
 * closed request"), once its handler is done, so that the line holds the outcome of its upstream calls (cancelled
 * for GET/HEAD, run to their answer otherwise). Fastify calls `onResponse` for such a request never (HTTP/1: the
 * answer never finishes), at once before the handler is done (HTTP/2: the stream closed), or after it (HTTP/2
 * HEAD); so its line is written when the handler hands over its answer (`onSend`, which Fastify still runs), and
 * `onResponse` skips it either way. A client that leaves while its answer is being written (handed over, never
 * finished) gets its line from `onRequestAbort`, with the status it was sent. A degraded answer (`X-Degraded`) adds
 * `degraded: partial|stale` to its line and counts in `degraded_responses_total`.
 */
export function installAccessHooks(instance: FastifyInstance, metrics: HttpMetrics, logger: Logger): void {
  const access: AccessLog = { logger, write: accessLineWriter(logger) };
  instance.addHook('onSend', (request, reply, payload, done) => {
    if (isClientGone(reply)) {
      (request as Logged).accessLogged = true;
      // the parser refused the rest of it (its body), and said so to the client: that status, not 499
      recordAccess(request, reply, parserStatusOf(request) ?? CLIENT_CLOSED_REQUEST, metrics, access);
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
      recordAccess(request, reply, parserStatusOf(request) ?? reply.statusCode, metrics, access);
    }
    done();
  });
  instance.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
    releaseServedReply(request, reply);
    // written already at onSend, or (HTTP/2) the client left and the handler has not answered yet: onSend will write it
    if ((request as Logged).accessLogged !== true && (reply.sent || !isClientGone(reply))) {
      (request as Logged).accessLogged = true; // an HTTP/1 answer cut off mid-write gets here and to onRequestAbort
      recordAccess(request, reply, parserStatusOf(request) ?? reply.statusCode, metrics, access);
    }
    done();
  });
}

/** Where access lines go: the app's logger (its level decides) and the line writer made for it once. */
interface AccessLog {
  readonly logger: Logger;
  readonly write: (line: AccessLine) => void;
}

function recordAccess(request: FastifyRequest, reply: FastifyReply, status: number, metrics: HttpMetrics, access: AccessLog): void {
  // a 405 or an OPTIONS 204 matched no route but answers for one: counted on its pattern (answeredRouteOf)
  const route = request.is404
    ? (answeredRouteOf(request) ?? 'unmatched')
    : (request.routeOptions.url ?? 'unmatched');
  const ms = reply.elapsedTime;
  metrics.observe(route, request.method, status, ms / 1000);
  // noted on the reply by the representation hook, or by the handler (an answer that cannot carry the mark itself)
  const degraded = degradedOf(reply)?.reason;
  if (degraded !== undefined) metrics.observeDegraded(route, degraded);
  const trace = traceOf(request);
  trace?.finish(route, request.method, status);
  if (access.logger.isLevelEnabled('info')) {
    const principal = principalOf(request);
    access.write({
      reqId: request.id,
      traceId: trace?.traceId,
      method: request.method,
      route,
      path: shownPathOf(request.url),
      ip: request.ip,
      status,
      durationMs: Math.round(ms * 10) / 10,
      principal: principal.kind === 'anonymous' ? undefined : `${principal.kind}:${principal.id}`,
      upstreams: trace && trace.calls.length > 0 ? trace.calls : undefined,
      degraded,
    });
  }
}

/** Whom TRUST_PROXY believes about the client's address: compiled once, by the library Fastify's `trustProxy` uses. */
export type ProxyTrust = (address: string, hop: number) => boolean;

/**
 * TRUST_PROXY as @fastify/proxy-addr takes it (Fastify's `trustProxy`, and {@link proxyTrustOf}); `false` when it is
 * empty. It refuses a /0 block ("invalid range"), which the config takes (a valid CIDR; ingress-nginx's default
 * `proxy-real-ip-cidr`): trusting a whole family is written as its two /1 halves.
 */
export function proxyAddrRangesOf(cidrs: readonly Cidr[]): string[] | false {
  if (cidrs.length === 0) return false;
  const whole = { ipv4: ['0.0.0.0/1', '128.0.0.0/1'], ipv6: ['::/1', '8000::/1'] };
  return cidrs.flatMap((c) => (c.prefix === 0 ? whole[c.family] : [`${c.address}/${c.prefix}`]));
}

/** The trust of TRUST_PROXY's ranges ({@link proxyAddrRangesOf}); undefined when it trusts nobody. */
export function proxyTrustOf(ranges: string[] | false): ProxyTrust | undefined {
  return ranges === false ? undefined : proxyAddr.compile(ranges);
}

/**
 * `request.ip` as Fastify computes it with `trustProxy`, for the requests Fastify never sees or builds without it:
 * `@fastify/proxy-addr` itself, with the same ranges — from the socket's address, each `X-Forwarded-For` hop from the
 * right while the address before it is trusted; the first untrusted one (or the left-most hop) is the client.
 */
export function clientAddressOf(request: IncomingMessage, trust: ProxyTrust | undefined): string | undefined {
  const address = request.socket?.remoteAddress;
  return trust === undefined || address === undefined ? address : proxyAddr(request, trust);
}
