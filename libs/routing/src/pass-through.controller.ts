import { Controller, Delete, Get, Inject, Patch, Post, Put, Req, Res, UseInterceptors, type Type } from '@nestjs/common';
import { Idempotent, IdempotencyInterceptor } from '@frontdoor/idempotency';
import { Roles, XmlRoot } from '@frontdoor/rbac';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PassThroughHandler } from './pass-through.handler';
import type { PassThroughMethod, PassThroughRoute } from './pass-through.route';

const MAPPINGS: Readonly<Record<PassThroughMethod, (path: string) => MethodDecorator>> = {
  GET: Get,
  POST: Post,
  PUT: Put,
  PATCH: Patch,
  DELETE: Delete,
};

interface Generated {
  readonly handler: PassThroughHandler;
}

/**
 * Generates the Nest controller of a route table: one handler per row, mapped with the row's method and path and
 * carrying `@Roles(...row.roles)` and `@XmlRoot` (and, for rows with `idempotencyKey`, `@Idempotent` with the
 * `IdempotencyInterceptor`), so rows go through exactly the pipeline of hand-written routes (global guards — deny by
 * default —, interceptors, the one problem filter, access log and metrics by route pattern). Never raw Fastify
 * routes. Built once at start.
 * @param handlerToken the injection token of the table's `PassThroughHandler`
 */
export function passThroughController(name: string, routes: readonly PassThroughRoute[], handlerToken: symbol): Type<unknown> {
  class PassThroughController implements Generated {
    constructor(@Inject(handlerToken) readonly handler: PassThroughHandler) {}
  }
  Object.defineProperty(PassThroughController, 'name', { value: name });
  const prototype = PassThroughController.prototype as unknown as Record<string, unknown>;
  routes.forEach((route, index) => {
    const method = `route${index}`;
    prototype[method] = function (this: Generated, request: FastifyRequest, reply: FastifyReply) {
      return this.handler.handle(index, request, reply);
    };
    Req()(prototype, method, 0);
    Res({ passthrough: true })(prototype, method, 1);
    const descriptor = Object.getOwnPropertyDescriptor(prototype, method) as PropertyDescriptor;
    Roles(...route.roles)(prototype, method, descriptor);
    XmlRoot(route.xmlRoot ?? 'response')(prototype, method, descriptor);
    if (route.idempotencyKey !== undefined) {
      // on this row's handler only: a Nest interceptor costs every request it wraps (docs/benchmarks.md §1)
      Idempotent(route.idempotencyKey)(prototype, method, descriptor);
      UseInterceptors(IdempotencyInterceptor)(prototype, method, descriptor);
    }
    MAPPINGS[route.method](route.path)(prototype, method, descriptor);
  });
  Controller()(PassThroughController);
  return PassThroughController;
}
