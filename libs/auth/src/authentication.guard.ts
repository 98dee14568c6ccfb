import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { PUBLIC_KEY, PerRoute, type Principal } from '@frontdoor/rbac';
import type { ProblemError } from '@frontdoor/errors';
import type { FastifyRequest } from 'fastify';
import { credentialsThrottled, type CredentialBudget } from './credential-budget';

/**
 * Step 2 of the pipeline (STYLE.md): the app's authentication guard, registered first among its global guards
 * (`{ provide: APP_GUARD, useExisting: AuthenticationGuard }`). It attaches the principal (`principalOf(request)`)
 * or answers 401 (with the scheme's `WWW-Authenticate`) / 503 (credentials cannot be checked right now).
 * `@Public()` routes skip it entirely. The token is an abstract class so that each app gets the guard of its
 * credential kind (bearer token or API key) from `AuthModule` under one name.
 */
export abstract class AuthenticationGuard implements CanActivate {
  abstract canActivate(context: ExecutionContext): boolean | Promise<boolean>;
}

/**
 * The principal of a credential this instance has already verified and may still trust (a user token before its
 * `exp`, a partner key the store holds in memory), found without I/O; `undefined` means "not known: verify it".
 */
export type RememberedCredential = (request: FastifyRequest) => Principal | undefined;

/**
 * `@nestjs/passport`'s `AuthGuard` driving one registered strategy, with the principal stored as
 * `request.principal` and passport's generic 401 replaced by our problems.
 *
 * A credential verified before is answered from the verifier's memory first (`remembered`), synchronously: passport's
 * per-request plumbing (options merge, context, callback, two promises) cost ~15 of the ~24 µs of a reused token's
 * authentication in the benchmark's profile (docs/benchmarks.md), above the 20 µs target. The memory is the
 * verifier's own (keyed by the whole token, never past `exp`; key records as the store holds them), so the fast path
 * accepts exactly what passport's path would, and everything else — missing, malformed, unknown, expired, revoked —
 * takes passport's path and its problems.
 */
export class PassportAuthenticationGuard extends AuthGuard() implements AuthenticationGuard {
  private readonly isPublic: PerRoute<boolean>;

  /**
   * @param credentialHeader where the credential travels (lower case): a request that carries one its verifier does
   *   not remember spends one of its address's `budget` before it is checked (see `CredentialBudget`)
   * @param budget undefined: no such limit
   */
  constructor(
    reflector: Reflector,
    strategy: string,
    private readonly missing: () => ProblemError,
    private readonly remembered: RememberedCredential,
    private readonly credentialHeader: string,
    private readonly budget: CredentialBudget | undefined,
  ) {
    super({ defaultStrategy: strategy, session: false, property: 'principal' });
    this.isPublic = new PerRoute((handler, controller) => reflector.getAllAndOverride<boolean | undefined>(PUBLIC_KEY, [handler, controller]) === true);
  }

  override canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (this.isPublic.of(context)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    const principal = this.remembered(request);
    if (principal !== undefined) {
      request.principal = principal;
      return true;
    }
    if (this.budget !== undefined && request.headers[this.credentialHeader] !== undefined) {
      const waitS = this.budget.take(request.ip);
      if (waitS > 0) throw credentialsThrottled(waitS, this.budget.ratePerS);
    }
    return super.canActivate(context) as Promise<boolean>;
  }

  /** The strategy throws the problem to answer; a strategy that just fails (no user) means no credentials. */
  override handleRequest<TUser = Principal>(error: unknown, user: unknown): TUser {
    if (error) throw error;
    if (!user) throw this.missing();
    return user as TUser;
  }
}
