import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Latency buckets in seconds, from a cached pass-through (~1 ms) to a route deadline (3 s) and past it. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const STATUS_CLASS = ['1xx', '1xx', '2xx', '3xx', '4xx', '5xx'];

/**
 * The Prometheus registry of one app instance (never the global one: tests run several apps in one process).
 * Route labels are route *patterns* (`/api/products/:sku`) or `unmatched`, so cardinality stays bounded.
 */
export class HttpMetrics {
  readonly registry = new Registry();
  private readonly duration: Histogram<'route' | 'method' | 'status_class'>;
  private readonly requests: Counter<'route' | 'method' | 'status'>;

  constructor(app: string) {
    this.registry.setDefaultLabels({ app });
    collectDefaultMetrics({ register: this.registry });
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from the first byte of a request to the last byte of its answer, per route, method and status class',
      labelNames: ['route', 'method', 'status_class'],
      buckets: DURATION_BUCKETS,
      registers: [this.registry],
    });
    this.requests = new Counter({
      name: 'http_requests_total',
      help: 'Answered requests per route, method and exact status',
      labelNames: ['route', 'method', 'status'],
      registers: [this.registry],
    });
  }

  /** Records one answered request. `route` must be a pattern, never a raw path. */
  observe(route: string, method: string, status: number, seconds: number): void {
    this.duration.observe({ route, method, status_class: STATUS_CLASS[(status / 100) | 0] ?? '5xx' }, seconds);
    this.requests.inc({ route, method, status: String(status) });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
