import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { degradedOf, noteDegraded } from '@frontdoor/aggregation';
import { ProblemError } from '@frontdoor/errors';
import type { RepresentationConfig } from '@frontdoor/rbac';
import { encodeXml, isTranslationError, negotiate } from '@frontdoor/translator';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { failsIfMatch, untaggedPrecondition } from './etag.hook';

/** What we answer in, in order of preference: JSON unless the client prefers XML. */
export const OFFERED_FORMATS = ['application/json', 'application/xml'] as const;
const XML_TYPE = 'application/xml; charset=utf-8';
const DEFAULT_XML_ROOT = 'response';

type Negotiated = FastifyRequest & { xmlRoot?: string; notAcceptable?: true; preconditionFailed?: true };
const asIs = (payload: unknown): string => payload as string;

function formatOf(accept: string | undefined): 'json' | 'xml' | undefined {
  // the common cases without parsing: no header, anything, or JSON
  if (accept === undefined || accept === '*/*' || accept === 'application/json') return 'json';
  const chosen = negotiate(accept, OFFERED_FORMATS);
  return chosen === undefined ? undefined : chosen === 'application/xml' ? 'xml' : 'json';
}

/**
 * Step 5 of the pipeline as Fastify hooks rather than Nest interceptors (each interceptor step costs Nest an
 * `AsyncResource.bind`, ~20 µs on Node 20 — measured in docs/benchmarks.md):
 * - `preHandler`: client content negotiation (RFC 9110 §12.5.1): JSON by default, XML when the client prefers
 *   `application/xml`, otherwise the request is marked and {@link AcceptableGuard} answers 406 once the client has
 *   been authenticated, limited and authorised (STYLE.md's order: 401/429/403 come first, so an anonymous caller
 *   learns nothing about a route from its Accept header). Routes marked `@Produces(...)` write their own media type
 *   and are left alone; `@XmlRoot` names the XML root element.
 * - `preSerialization` (an answer object, never an error — problems are rendered by the filter): a degraded
 *   answer (`asDegraded`) says so with `X-Degraded: partial|stale` and `Cache-Control: no-store`; then, if XML was
 *   negotiated, the answer is encoded by the translator.
 * @throws ProblemError `not-acceptable` (406): an Accept allowing neither JSON nor XML, or an answer whose keys are
 *   not XML names when XML was asked for
 */
export function installRepresentationHooks(instance: FastifyInstance): void {
  instance.addHook('preHandler', (request: FastifyRequest, _reply, done) => {
    if (request.is404) return done();
    // an unsafe method with an If-Match that cannot hold: refused by AcceptableGuard, never performed
    if (failsIfMatch(request)) (request as Negotiated).preconditionFailed = true;
    const config = request.routeOptions.config as RepresentationConfig | undefined;
    if (config?.produces !== undefined) return done();
    const format = formatOf(request.headers.accept);
    if (format === undefined) {
      (request as Negotiated).notAcceptable = true;
      return done();
    }
    if (format === 'xml') (request as Negotiated).xmlRoot = config?.xmlRoot ?? DEFAULT_XML_ROOT;
    done();
  });
  instance.addHook('preSerialization', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done) => {
    const degraded = degradedOf(payload);
    if (degraded !== undefined) {
      noteDegraded(reply, degraded); // for the access line and degraded_responses_total (door.hooks recordAccess)
      reply.header('x-degraded', degraded.reason);
      reply.header('cache-control', 'no-store');
    }
    const root = (request as Negotiated).xmlRoot;
    if (root === undefined || payload === null || typeof payload !== 'object') return done(null, payload);
    try {
      const xml = encodeXml(payload, root);
      // the XML text is the answer as is: the reply's serializer must not JSON-encode it again
      reply.type(XML_TYPE).serializer(asIs);
      done(null, xml);
    } catch (error) {
      const failure = isTranslationError(error)
        ? new ProblemError('not-acceptable', 'This answer cannot be represented as XML; ask for application/json.', { cause: error })
        : (error as Error);
      (done as unknown as (err: Error) => void)(failure);
    }
  });
}

/**
 * Whether content negotiation found no format the client accepts: the request will be answered 406 by
 * {@link AcceptableGuard} once the app's own guards let it through (the partner quota guard uses it so that such a
 * request never counts against the daily quota).
 */
export function isNotAcceptable(request: FastifyRequest): boolean {
  return (request as Negotiated).notAcceptable === true;
}

/**
 * The 406 of content negotiation, then the 412 of an unsafe method's `If-Match`, as the last global guard (after
 * authentication, rate limit, roles and, on the partner API, quota; before the body, pipes and the handler, RFC 9110
 * §13.2.1): the `preHandler` hook above decided, this only answers.
 * @throws ProblemError `not-acceptable` (406): an Accept allowing neither JSON nor XML
 * @throws ProblemError `precondition-failed` (412): an If-Match other than `*` on a POST, PUT, PATCH or DELETE
 */
export class AcceptableGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (isNotAcceptable(request)) {
      throw new ProblemError('not-acceptable', 'This resource is available as application/json or application/xml.');
    }
    if ((request as Negotiated).preconditionFailed === true) throw untaggedPrecondition();
    return true;
  }
}
