import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { PUBLIC_KEY, type Principal } from '@frontdoor/rbac';
import type { ProblemError } from '@frontdoor/errors';

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
 * `@nestjs/passport`'s `AuthGuard` driving one registered strategy, with the principal stored as
 * `request.principal` and passport's generic 401 replaced by our problems.
 */
export class PassportAuthenticationGuard extends AuthGuard() implements AuthenticationGuard {
  private readonly publicHandlers = new WeakMap<object, boolean>();

  constructor(
    private readonly reflector: Reflector,
    strategy: string,
    private readonly missing: () => ProblemError,
  ) {
    super({ defaultStrategy: strategy, session: false, property: 'principal' });
  }

  override canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (this.isPublic(context)) return true;
    return super.canActivate(context) as Promise<boolean>;
  }

  /** The strategy throws the problem to answer; a strategy that just fails (no user) means no credentials. */
  override handleRequest<TUser = Principal>(error: unknown, user: unknown): TUser {
    if (error) throw error;
    if (!user) throw this.missing();
    return user as TUser;
  }

  private isPublic(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    let isPublic = this.publicHandlers.get(handler);
    if (isPublic === undefined) {
      isPublic = this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_KEY, [handler, context.getClass()]) === true;
      this.publicHandlers.set(handler, isPublic);
    }
    return isPublic;
  }
}
