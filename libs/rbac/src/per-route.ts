import type { ExecutionContext, Type } from '@nestjs/common';

type Handler = ReturnType<ExecutionContext['getHandler']>;

/**
 * What a guard derives from a route's metadata, derived once per route and then a WeakMap hit per request: decorator
 * metadata does not change after start, and reflection on every request cost measurable microseconds
 * (docs/benchmarks.md). Keyed by controller *and* handler: one handler method inherited by two controllers can sit
 * under different class-level metadata.
 */
export class PerRoute<T> {
  private readonly byController = new WeakMap<object, WeakMap<object, T>>();

  constructor(private readonly derive: (handler: Handler, controller: Type) => T) {}

  of(context: ExecutionContext): T {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byHandler = this.byController.get(controller);
    if (byHandler === undefined) this.byController.set(controller, (byHandler = new WeakMap()));
    if (byHandler.has(handler)) return byHandler.get(handler) as T;
    const derived = this.derive(handler, controller);
    byHandler.set(handler, derived);
    return derived;
  }
}
