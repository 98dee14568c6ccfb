import { SetMetadata } from '@nestjs/common';

export const PRODUCES_KEY = 'frontdoor:produces';
export const XML_ROOT_KEY = 'frontdoor:xml-root';

/**
 * Nest's Fastify adapter copies this metadata of a handler into its Fastify route's `config` (the constant
 * FASTIFY_ROUTE_CONFIG_METADATA of @nestjs/platform-fastify). The representation hooks of libs/platform read it
 * from `request.routeOptions.config` — per route, once, with no Nest interceptor on the request path.
 */
const FASTIFY_ROUTE_CONFIG = '__fastify_route_config__';

/** What the representation hooks read of a route. */
export interface RepresentationConfig {
  readonly produces?: string;
  readonly xmlRoot?: string;
}

function routeConfig(entry: RepresentationConfig, key: string, value: string): MethodDecorator {
  return (target, property, descriptor) => {
    SetMetadata(key, value)(target, property, descriptor);
    const handler = descriptor.value as object;
    const existing = (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG, handler) as Record<string, unknown> | undefined) ?? {};
    Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG, { ...existing, ...entry }, handler);
    return descriptor;
  };
}

/**
 * The route writes its own media type (e.g. Prometheus text on `/metrics`, HTML on `/docs`): content negotiation
 * neither answers 406 nor re-encodes its answer. A handler decorator.
 */
export const Produces = (mediaType: string): MethodDecorator => routeConfig({ produces: mediaType }, PRODUCES_KEY, mediaType);

/** The root element of the route's XML answers (default `response`); must be an XML name. A handler decorator. */
export const XmlRoot = (name: string): MethodDecorator => routeConfig({ xmlRoot: name }, XML_ROOT_KEY, name);
