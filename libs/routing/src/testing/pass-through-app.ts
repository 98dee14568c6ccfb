// For specs only: not exported from index.ts and left out of the lib build (tsconfig.lib.json excludes src/testing).
import { Global, Injectable, Module, type CanActivate, type DynamicModule, type ExecutionContext } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ObservabilityModule } from '@frontdoor/observability';
import { createBffApp, type BffApp } from '@frontdoor/platform';
import { RolesGuard, type Principal } from '@frontdoor/rbac';
import { startStub, type Stub, type StubHandler } from '@frontdoor/testing';
import { UpstreamRegistry, type UpstreamOptions } from '@frontdoor/upstream';
import { PassThroughModule } from '../pass-through.module';
import type { PassThroughRoute } from '../pass-through.route';

/**
 * Stands in for the authentication guard of libs/auth: the principal comes from test headers (`x-test-user`,
 * `x-test-roles` comma-separated; without it, `defaultRoles`).
 */
function testPrincipalGuard(defaultRoles: readonly string[]) {
  @Injectable()
  class TestPrincipalGuard implements CanActivate {
    canActivate(context: ExecutionContext): boolean {
      const request = context.switchToHttp().getRequest<{ headers: Record<string, string>; principal?: Principal }>();
      const given = request.headers['x-test-roles'];
      const roles = given === undefined ? [...defaultRoles] : given.split(',').filter(Boolean);
      request.principal = { kind: 'user', id: request.headers['x-test-user'] ?? 'tester', roles };
      return true;
    }
  }
  return TestPrincipalGuard;
}

export interface PassThroughAppOptions {
  /** The controller's name (one per app). */
  readonly name: string;
  readonly routes: readonly PassThroughRoute[];
  /** The roles the table may name. */
  readonly roles: readonly string[];
  readonly registry: UpstreamRegistry;
  readonly cache: { readonly cacheMaxEntries: number; readonly cacheMaxBytes: number; readonly cacheStaleMaxS: number };
  /** Modules the rows need besides the table's own (e.g. `IdempotencyModule.forRoot`). */
  readonly imports?: readonly DynamicModule[];
  /** Roles of a request without `x-test-roles`. */
  readonly defaultRoles?: readonly string[];
}

/**
 * A route table served by `createBffApp` on 127.0.0.1 (a free port), through the Nest pipeline of the apps: the
 * registry's upstreams, the test principal guard, then `RolesGuard`. The caller closes the app (and the registry).
 */
export async function startPassThroughApp(options: PassThroughAppOptions): Promise<{ app: BffApp; base: string }> {
  const { registry } = options;

  @Global()
  @Module({ providers: [{ provide: UpstreamRegistry, useValue: registry }], exports: [UpstreamRegistry] })
  class TestUpstreamsModule {}

  @Module({
    imports: [
      TestUpstreamsModule,
      ObservabilityModule.forRoot({ app: 't', readiness: { useFactory: () => [] } }),
      ...(options.imports ?? []),
      PassThroughModule.forRoot({ app: 'spec-bff', name: options.name, routes: options.routes, roles: options.roles, cache: options.cache }),
    ],
    providers: [
      { provide: APP_GUARD, useClass: testPrincipalGuard(options.defaultRoles ?? []) },
      { provide: APP_GUARD, useClass: RolesGuard },
    ],
  })
  class TestAppModule {}

  const app = await createBffApp(TestAppModule, {
    app: 't',
    server: { logLevel: 'silent', trustProxy: [], ipAllow: [], ipDeny: [], bodyLimitBytes: 4096 },
  });
  try {
    await app.nest.listen(0, '127.0.0.1');
    return { app, base: await app.nest.getUrl() };
  } catch (error) {
    await app.nest.close();
    throw error;
  }
}

export interface OneUpstreamApp {
  readonly stub: Stub;
  readonly registry: UpstreamRegistry;
  readonly app: BffApp;
  readonly base: string;
  /** Closes the app, the registry and the stub (a stub closed already is fine). */
  close(): Promise<void>;
}

/**
 * One upstream played by a loopback stub answering with `handler`, registered under `upstream.name` with a 1 s
 * deadline, one attempt and the given options, behind a table served by `startPassThroughApp`.
 */
export async function startOneUpstreamApp(options: {
  readonly name: string;
  readonly routes: readonly PassThroughRoute[];
  readonly roles: readonly string[];
  readonly handler: StubHandler;
  readonly upstream: { readonly name: string } & Partial<Omit<UpstreamOptions, 'urls'>>;
}): Promise<OneUpstreamApp> {
  const stub = await startStub(options.handler);
  const upstream: UpstreamOptions = Object.assign(
    { defaultDeadlineMs: 1000, retry: { maxAttempts: 1 }, breaker: { failures: 1000 } },
    options.upstream,
    { urls: [new URL(stub.url)] },
  );
  const registry = new UpstreamRegistry([upstream]);
  const cache = { cacheMaxEntries: 100, cacheMaxBytes: 1e6, cacheStaleMaxS: 60 };
  let started: { app: BffApp; base: string };
  try {
    started = await startPassThroughApp({ name: options.name, routes: options.routes, roles: options.roles, registry, cache });
  } catch (error) {
    await registry.close();
    await stub.close();
    throw error;
  }
  const { app, base } = started;
  const close = async () => {
    await app.nest.close();
    await registry.close();
    await stub.close();
  };
  return { stub, registry, app, base, close };
}
