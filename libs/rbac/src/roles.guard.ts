import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ProblemError } from '@frontdoor/errors';
import type { FastifyRequest } from 'fastify';
import { PUBLIC_KEY, ROLES_KEY } from './access.decorators';
import { PerRoute } from './per-route';
import { principalOf } from './principal';

/** What a handler declares, read once per handler: public, or the set of roles allowed (empty = nobody). */
interface Access {
  readonly isPublic: boolean;
  readonly roles: ReadonlySet<string>;
}

const FORBIDDEN_DETAIL = 'Access to this resource is not allowed.';

/**
 * Step 4 of the pipeline (STYLE.md), a global guard after authentication (and rate limiting): **deny by default**.
 * A route that is neither `@Public()` nor declares `@Roles(...)` answers 403 to everyone, authenticated or not; a
 * route that declares roles lets a principal through when it holds any one of them. Handler metadata overrides
 * class metadata. Route-table handlers carry the same metadata, so they are judged the same way.
 *
 * Anonymous callers of a protected route never get here (the authentication guard answers 401 first); should one,
 * it holds no roles and is refused with 403 like anybody else.
 * @throws ProblemError `forbidden` (403) with a generic detail: which role was missing is not said
 */
@Injectable()
export class RolesGuard implements CanActivate {
  /** What each route declares, read by reflection once per route. */
  private readonly access: PerRoute<Access>;

  constructor(reflector: Reflector) {
    this.access = new PerRoute((handler, controller) => {
      const targets = [handler, controller];
      const roles = reflector.getAllAndOverride<readonly string[] | undefined>(ROLES_KEY, targets) ?? [];
      const isPublic = reflector.getAllAndOverride<boolean | undefined>(PUBLIC_KEY, targets) === true;
      return Object.freeze({ isPublic, roles: new Set(roles) });
    });
  }

  canActivate(context: ExecutionContext): boolean {
    const access = this.access.of(context);
    if (access.isPublic) return true;
    const { roles } = principalOf(context.switchToHttp().getRequest<FastifyRequest>());
    for (const role of roles) if (access.roles.has(role)) return true;
    throw new ProblemError('forbidden', FORBIDDEN_DETAIL);
  }
}
