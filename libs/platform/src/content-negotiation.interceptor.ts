import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ProblemError } from '@frontdoor/errors';
import { PRODUCES_KEY, XML_ROOT_KEY } from '@frontdoor/rbac';
import { encodeXml, isTranslationError, negotiate } from '@frontdoor/translator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';

/** What we answer in, in order of preference: JSON unless the client prefers XML. */
export const OFFERED_FORMATS = ['application/json', 'application/xml'] as const;
const XML_TYPE = 'application/xml; charset=utf-8';
const DEFAULT_XML_ROOT = 'response';

interface Representation {
  /** The route writes its own media type (`@Produces`): left alone. */
  readonly own: boolean;
  readonly xmlRoot: string;
}

function formatOf(accept: string | undefined): 'json' | 'xml' | undefined {
  // the common cases without parsing: no header, anything, or JSON
  if (accept === undefined || accept === '*/*' || accept === 'application/json') return 'json';
  const chosen = negotiate(accept, OFFERED_FORMATS);
  return chosen === undefined ? undefined : chosen === 'application/xml' ? 'xml' : 'json';
}

function toXml(body: unknown, root: string, reply: FastifyReply): unknown {
  if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) return body;
  try {
    const xml = encodeXml(body, root);
    reply.type(XML_TYPE);
    return xml;
  } catch (error) {
    if (!isTranslationError(error)) throw error;
    throw new ProblemError('not-acceptable', 'This answer cannot be represented as XML; ask for application/json.', { cause: error });
  }
}

/**
 * Step 5 of the pipeline, the outermost interceptor: client content negotiation (RFC 9110 §12.5.1). JSON by
 * default, XML (encoded by the translator, root element from `@XmlRoot`) when the client prefers
 * `application/xml`; anything else answers 406 problem+json before the handler runs. Routes marked `@Produces(...)`
 * write their own media type and are left alone. Metadata is read once per handler; a JSON answer costs one
 * header check.
 * @throws ProblemError `not-acceptable` (406) for an Accept that allows neither JSON nor XML, or an answer whose
 *   keys are not XML names when XML was asked for
 */
@Injectable()
export class ContentNegotiationInterceptor implements NestInterceptor {
  private readonly representations = new WeakMap<object, Representation>();

  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const representation = this.representationOf(context);
    if (representation.own) return next.handle();
    const http = context.switchToHttp();
    const format = formatOf(http.getRequest<FastifyRequest>().headers.accept);
    if (format === undefined) {
      throw new ProblemError('not-acceptable', 'This resource is available as application/json or application/xml.');
    }
    if (format === 'json') return next.handle();
    const reply = http.getResponse<FastifyReply>();
    return next.handle().pipe(map((body) => toXml(body, representation.xmlRoot, reply)));
  }

  private representationOf(context: ExecutionContext): Representation {
    const handler = context.getHandler();
    let representation = this.representations.get(handler);
    if (representation === undefined) {
      const targets = [handler, context.getClass()];
      representation = Object.freeze({
        own: this.reflector.getAllAndOverride<string | undefined>(PRODUCES_KEY, targets) !== undefined,
        xmlRoot: this.reflector.getAllAndOverride<string | undefined>(XML_ROOT_KEY, targets) ?? DEFAULT_XML_ROOT,
      });
      this.representations.set(handler, representation);
    }
    return representation;
  }
}
