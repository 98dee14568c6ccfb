import { Catch, HttpException, NotFoundException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ProblemError, isProblemError, isUpstreamError } from '@frontdoor/errors';
import { isUpstreamAbortedError } from '@frontdoor/upstream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { CLIENT_CLOSED_REQUEST, isClientGone } from './client-gone.hook';
import { fromFrameworkError } from './framework-errors';
import type { DoorRefusal } from './door.hooks';
import { methodNotAllowed, methodsServedAt, optionsAllow, type RouterRefusal } from './method-not-allowed';
import { RepeatedWarnings } from './repeated-warnings';
import { sendProblem } from './problem-response';

/**
 * The one global exception filter: every error of every route — guards (401/403/429), pipes, handlers,
 * upstream failures, the router's 404 and Fastify's own errors — answers as RFC 9457 problem details with the
 * request id. It logs once: 5xx with their cause at error/warn level (the cause's name and message, never a stack,
 * for the gateway's own problems; a warning repeated within 10 s is counted, see `RepeatedWarnings`); client errors
 * are in the access log only.
 * An upstream call cancelled because the client went away is no error: logged at debug level, nothing rendered.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly warnings: RepeatedWarnings;

  /**
   * `repeatWindowMs`: how long warnings of one kind are counted rather than written (see `RepeatedWarnings`).
   * `routerRefusals`: how the app answers what Fastify's router refuses (`frameworkErrors`), for an unmatched request
   * whose path the router refuses for the methods it serves there (see `methodsServedAt`). Fastify's not-found router
   * hands a path it cannot decode to the not-found handler without running any hook (no request id, security headers
   * or access line then): the app's answer gives what the hooks would have. Default: the problem alone.
   * `skippedDoor`: for a request that reached the not-found handler before the `onRequest` hooks ran (see `catch`),
   * what they give every answer (security headers, Vary) and the door's refusal. Default: neither.
   */
  constructor(
    private readonly logger: Logger,
    repeatWindowMs = 10_000,
    private readonly routerRefusals?: (error: Error & { code: RouterRefusal }, request: FastifyRequest, reply: FastifyReply) => void,
    private readonly skippedDoor?: { readonly headers: (reply: FastifyReply) => void; readonly refusalOf: DoorRefusal },
  ) {
    this.warnings = new RepeatedWarnings(logger, repeatWindowMs);
  }

  /** `doorSkipped`: no onRequest hook ran; when they did, they give its headers and its access line already. */
  private answerRouterRefusal(code: RouterRefusal, request: FastifyRequest, reply: FastifyReply, doorSkipped: boolean): void {
    const error = Object.assign(new Error(`the router refuses ${request.method}'s path`), { code });
    if (!doorSkipped || this.routerRefusals === undefined) sendProblem(reply, request, fromFrameworkError(error), '/');
    else this.routerRefusals(error, request, reply);
  }

  /** The app is closing: the counts of repeated warnings still being gathered are written now (see RepeatedWarnings). */
  flushWarnings(): void {
    this.warnings.flush();
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    if (isUpstreamAbortedError(exception) && isClientGone(reply)) {
      // expected, not a failure: the client went away and this GET/HEAD's upstream calls were cancelled. Nothing
      // reaches the client; the empty reply only ends the request, whose access line says 499.
      this.logger.debug({ reqId: request.id, upstream: exception.upstream }, exception.message);
      reply.status(CLIENT_CLOSED_REQUEST).send();
      return;
    }
    // the router matched nothing (Nest's NotFoundException; not an error of the unmatched request's body, which
    // Fastify reads first): a path served for other methods is a 405, not a 404
    const unmatchedQuery = request.is404 && isQueryWithoutContent(request, exception);
    const unrouted = (request.is404 && exception instanceof NotFoundException) || unmatchedQuery;
    const served = unrouted ? methodsServedAt(request) : undefined;
    // the door hook names every answer it sees: an unmatched request without a request id header skipped the hooks
    const doorSkipped = unrouted && reply.getHeader('x-request-id') === undefined;
    if (typeof served === 'string') {
      this.answerRouterRefusal(served, request, reply, doorSkipped);
      return;
    }
    // A routed request whose target is not a path (`OPTIONS *` on web-bff, where the CORS plugin's `OPTIONS *` route
    // matches it) is handed to the not-found handler by an onRequest hook of Nest's adapter, added before the door's
    // (no request id header yet): neither the door's checks nor the security headers ran. It gets them here: the door's
    // answer (400 for such a target, as on the apps without that route and as nginx answers; 403 from IP_DENY); the
    // send hooks (CORS, Vary) and the access line run as for any answer.
    const skippedDoor = doorSkipped ? this.skippedDoor : undefined;
    if (skippedDoor !== undefined) {
      skippedDoor.headers(reply);
      const refusal = skippedDoor.refusalOf(request, reply);
      if (refusal !== undefined) {
        sendProblem(reply, request, refusal);
        return;
      }
    }
    const allow = served !== undefined && request.method === 'OPTIONS' ? optionsAllow(served) : undefined;
    // a CORS preflight no CORS hook answered (an origin, method or headers web-bff's policy refuses; any preflight on
    // an app without CORS) gets no 2xx, so that the browser sees it refused, and says why: a 403, not a 405 whose Allow
    // left out the OPTIONS this path serves (RFC 9110 §10.2.1)
    if (allow !== undefined && request.headers['access-control-request-method'] !== undefined) {
      sendProblem(reply, request, new ProblemError('forbidden', 'This cross-origin request is not allowed here.'));
      return;
    }
    if (allow !== undefined) {
      reply.status(204).header('allow', allow).send();
      return;
    }
    const error = isProblemError(exception)
      ? exception
      : ((served && methodNotAllowed(request.method, served)) ?? fromFrameworkError(unmatchedQuery ? new NotFoundException() : exception));
    const document = sendProblem(reply, request, error);
    if (document.status < 500) return;
    if (isUpstreamError(error)) {
      const cause = describe(error.cause);
      const kind = `${error.upstream}|${error.failure}|${error.detail}|${cause}`;
      this.warnings.warn(kind, { reqId: request.id, upstream: error.upstream, failure: error.failure, cause }, error.detail);
    } else if (!isProblemError(error)) {
      this.logger.error({ reqId: request.id, err: error }, 'unhandled error');
    } else if (error.cause !== undefined) {
      // a 5xx the gateway decided with a reason behind it (the key store or the identity provider unreachable,
      // idempotency records unavailable): without this line such 503s left no trace of why (found chasing a CI flake)
      const cause = describe(error.cause);
      this.warnings.warn(`${document.status}|${error.detail}|${cause}`, { reqId: request.id, status: document.status, cause }, error.detail);
    }
  }
}

/**
 * Fastify fails a QUERY without content or Content-Type before the not-found handler runs (RFC 10008 §2), and Nest
 * hands its coded error on as a bare 400 HttpException ("The request is malformed."). No route of these apps serves
 * QUERY: such a request is answered as any method the router did not match, 405 where the path serves others (whose
 * Allow tells the client what to use) or 404, not a 400 that sends it to add content only to get the 405 next.
 */
function isQueryWithoutContent(request: FastifyRequest, exception: unknown): boolean {
  return request.method === 'QUERY' && exception instanceof HttpException && !isProblemError(exception) && exception.getStatus() === 400;
}

function describe(cause: unknown): string | undefined {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`.slice(0, 300);
  return cause === undefined ? undefined : String(cause).slice(0, 300);
}
