import type { Provider } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import type { FastifyInstance, RouteOptions } from 'fastify';

/** What {@link BodyLimit} adds to a route's Fastify `config`. */
interface BodyLimitConfig {
  readonly bodyLimit?: number;
}

/**
 * The route reads at most `bytes` of request body (Fastify's per-route `bodyLimit`, like Kong's
 * `request-size-limiting` or Envoy's per-route `max_request_bytes`); past it the parser stops reading and the
 * answer is the app's 413 problem, as for the app-wide limit (BODY_LIMIT_BYTES). Nest's Fastify adapter
 * passes no route option but `config`, `constraints` and `schema`: the limit travels in the route's `config`
 * (merged with what `@XmlRoot`/`@Produces` put there) and {@link installRouteBodyLimits} moves it to the
 * route's `bodyLimit`. A handler decorator.
 */
export const BodyLimit =
  (bytes: number): MethodDecorator =>
  (_target, _property, descriptor) => {
    if (!Number.isInteger(bytes) || bytes <= 0)
      throw new RangeError(`BodyLimit: ${bytes} is not a positive number of bytes`);
    const handler = descriptor.value as object;
    const existing =
      (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) as Record<string, unknown> | undefined) ??
      {};
    Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...existing, bodyLimit: bytes }, handler);
    return descriptor;
  };

/**
 * A Fastify `onRoute` hook giving every route declared with {@link BodyLimit} its own `bodyLimit` — never
 * more than the server's (BODY_LIMIT_BYTES): a route's limit only lowers the app-wide one, so an operator who
 * sets a smaller one is obeyed on every route. Fastify reads the option after its `onRoute` hooks, so the
 * hook must be installed before the routes are registered (`app.init()`).
 */
export function installRouteBodyLimits(instance: FastifyInstance): void {
  const serverLimit = instance.initialConfig.bodyLimit ?? Number.POSITIVE_INFINITY;
  instance.addHook('onRoute', (route: RouteOptions) => {
    const bytes = (route.config as BodyLimitConfig | undefined)?.bodyLimit;
    if (bytes !== undefined) route.bodyLimit = Math.min(bytes, serverLimit);
  });
}

export const ROUTE_BODY_LIMITS = Symbol('ROUTE_BODY_LIMITS');

/**
 * Installs {@link installRouteBodyLimits} while Nest builds the module, that is before `app.init()` registers
 * the routes (a module's `onModuleInit` runs after, too late for `onRoute`). No HTTP adapter (none in a unit
 * test): nothing.
 */
export const routeBodyLimitsProvider: Provider = {
  provide: ROUTE_BODY_LIMITS,
  useFactory: (host: HttpAdapterHost): boolean => {
    const instance = host.httpAdapter?.getInstance<FastifyInstance>();
    if (typeof instance?.addHook !== 'function') return false;
    installRouteBodyLimits(instance);
    return true;
  },
  inject: [HttpAdapterHost],
};
