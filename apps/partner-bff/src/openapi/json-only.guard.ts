import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ProblemError } from '@frontdoor/errors';
import { negotiate } from '@frontdoor/translator';
import type { FastifyRequest } from 'fastify';

const JSON_ONLY = ['application/json'] as const;

/**
 * The 406 of a route that answers in JSON only, such as the OpenAPI documents. A `@Produces` route is left out of the
 * platform's content negotiation (it writes its own media type), so it is negotiated here with the translator's
 * `negotiate`, as every other answer is: no Accept, one that cannot be read, `*\/*`, `application/*` and
 * `application/json` get JSON; an Accept that rules JSON out (`application/xml`, `text/html` alone,
 * `application/json;q=0`) gets 406. A route guard: it comes after the global guards, as the platform's
 * AcceptableGuard does (an anonymous flood is answered 429 before its Accept is looked at).
 * @throws ProblemError `not-acceptable` (406)
 */
@Injectable()
export class JsonOnlyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const { accept } = context.switchToHttp().getRequest<FastifyRequest>().headers;
    if (negotiate(accept, JSON_ONLY) === undefined) {
      throw new ProblemError('not-acceptable', 'This document is available as application/json only.');
    }
    return true;
  }
}
