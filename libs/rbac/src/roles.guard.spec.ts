import { Catch, Controller, Get, Injectable, Module, Req, type ArgumentsHost, type CanActivate, type ExceptionFilter, type ExecutionContext } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { NestFactory } from '@nestjs/core';
import { isProblemError } from '@frontdoor/errors';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public, Roles } from './access.decorators';
import { principalOf, type Principal } from './principal';
import { RolesGuard } from './roles.guard';

/** Stand-in for authentication: `x-roles: a,b` makes a user with those roles; no header = anonymous. */
@Injectable()
class HeaderPrincipalGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    const roles = request.headers['x-roles'];
    if (typeof roles === 'string') request.principal = { kind: 'user', id: 'u1', roles: roles.split(',').filter(Boolean) };
    return true;
  }
}

/** The platform's ProblemFilter renders problems in the apps; here only the status matters. */
@Catch()
class StatusFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    host.switchToHttp().getResponse<FastifyReply>().status(isProblemError(exception) ? exception.status : 500).send();
  }
}

@Controller('open')
@Public()
class OpenController {
  @Get()
  get(): string {
    return 'open';
  }
}

@Controller('finance')
@Roles('finance', 'admin')
class FinanceController {
  @Get()
  get(@Req() request: FastifyRequest): string {
    return principalOf(request).id;
  }

  @Get('admin-only')
  @Roles('admin')
  adminOnly(): string {
    return 'admin';
  }

  @Get('public-inside')
  @Public()
  publicInside(): string {
    return 'public';
  }
}

@Controller('undeclared')
class UndeclaredController {
  @Get()
  get(): string {
    return 'should never answer';
  }

  @Get('empty')
  @Roles()
  empty(): string {
    return 'should never answer';
  }
}

@Module({
  controllers: [OpenController, FinanceController, UndeclaredController],
  providers: [
    { provide: APP_GUARD, useClass: HeaderPrincipalGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
})
class TestModule {}

describe('RolesGuard (deny by default)', () => {
  let app: NestFastifyApplication;
  let base: string;

  beforeAll(async () => {
    app = await NestFactory.create<NestFastifyApplication>(TestModule, new FastifyAdapter(), { logger: false });
    app.useGlobalFilters(new StatusFilter());
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });
  afterAll(() => app.close());

  it.each([
    ['/open', undefined, 200],
    ['/open', 'sales', 200],
    ['/finance', 'finance', 200],
    ['/finance', 'admin', 200],
    ['/finance', 'hr,finance', 200],
    ['/finance', 'hr', 403],
    ['/finance', 'Finance', 403],
    ['/finance', '', 403],
    ['/finance', undefined, 403],
    ['/finance/admin-only', 'admin', 200],
    ['/finance/admin-only', 'finance', 403],
    ['/finance/public-inside', undefined, 200],
    ['/undeclared', 'admin', 403],
    ['/undeclared', undefined, 403],
    ['/undeclared/empty', 'admin,finance,hr,sales,warehouse', 403],
  ])('GET %s with roles %j → %d', async (path, roles, status) => {
    const res = await fetch(base + path, { headers: roles === undefined ? {} : { 'x-roles': roles } });
    expect(res.status).toBe(status);
  });

  it('refuses with a forbidden problem that names no role', () => {
    const guard = new RolesGuard({ getAllAndOverride: () => undefined } as never);
    const context = {
      getHandler: () => function handler() {
        return 'handler';
      },
      getClass: () => class Target {},
      switchToHttp: () => ({ getRequest: () => ({ principal: { kind: 'user', id: 'x', roles: ['admin'] } }) }),
    } as unknown as ExecutionContext;
    let thrown: unknown;
    try {
      guard.canActivate(context);
    } catch (error) {
      thrown = error;
    }
    expect(isProblemError(thrown)).toBe(true);
    expect(thrown).toMatchObject({ status: 403, slug: 'forbidden', detail: 'Access to this resource is not allowed.' });
  });
});
