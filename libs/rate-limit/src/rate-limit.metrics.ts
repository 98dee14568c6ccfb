import { Counter, Gauge, type Registry } from 'prom-client';

/** Rejections and store fallbacks, on the app's own registry. */
export class RateLimitMetrics {
  readonly rejections: Counter<'kind'>;
  readonly fallbacks: Counter;
  readonly degraded: Gauge;

  constructor(registry: Registry) {
    this.rejections = new Counter({
      name: 'rate_limit_rejections_total',
      help: 'Requests refused with 429, by kind (rate or quota)',
      labelNames: ['kind'],
      registers: [registry],
    });
    this.fallbacks = new Counter({
      name: 'rate_limit_store_fallbacks_total',
      help: 'Limit decisions taken in process because the shared store (Redis) was unavailable',
      registers: [registry],
    });
    this.degraded = new Gauge({
      name: 'rate_limit_store_degraded',
      help: '1 while limits are kept in process because Redis is unavailable, else 0',
      registers: [registry],
    });
  }
}
