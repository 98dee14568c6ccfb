import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CallOutcome } from '@frontdoor/upstream';
import type { CallObserver } from './request-trace';
import { sharedFor } from './shared-for';
import { BUILD_VERSION } from './build-info';

/** Latency buckets in seconds, from a cached pass-through (~1 ms) to a route deadline (3 s) and past it. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const BREAKER_VALUE: Readonly<Record<string, number>> = { closed: 0, 'half-open': 1, open: 2 };

/** What `watchUpstreams` reads of each upstream at scrape time. */
export interface UpstreamGaugeState {
  readonly upstream: string;
  readonly breaker: string;
  readonly inFlight: number;
  readonly healthyInstances: number;
  /** Retries made since start (attempts after the first). */
  readonly retries: number;
  /** Instances taken out of the rotation since start. */
  readonly ejections: number;
}

/** What `watchResponseCache` reads of an in-process response cache at scrape time. */
export interface ResponseCacheGaugeState {
  readonly entries: number;
  /** Body bytes of the copies held. */
  readonly bytes: number;
}

const STATUS_CLASS = ['1xx', '1xx', '2xx', '3xx', '4xx', '5xx'];

/**
 * The methods labelled as themselves (`UNPARSED`: a request the parser refused before the gateway read it).
 * Any other method a client sends (`PROPFIND`, `FOO`: llhttp accepts 30-odd) is labelled `OTHER`, or each one
 * would add its own series.
 */
const METHOD_LABELS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'UNPARSED']);

/** The `method` label of every method outside the fixed set. */
export const OTHER_METHOD = 'OTHER';

/** How long one rendering of the registry answers every scrape of `/metrics`, ms (`HttpMetrics.scrape`). */
export const METRICS_TTL_MS = 1000;

/** One rendering of the registry: its text as bytes (written as they are, scrape after scrape), its type. */
export interface RenderedMetrics {
  readonly body: Buffer;
  readonly contentType: string;
}

/**
 * The Prometheus registry of one app instance (never the global one: tests run several apps in one process).
 * Route labels are route *patterns* (`/api/products/:sku`) or `unmatched`, method labels one of a fixed set
 * or `OTHER`, so cardinality stays bounded whatever clients send.
 */
export class HttpMetrics implements CallObserver {
  readonly registry = new Registry();
  private readonly duration: Histogram<'route' | 'method' | 'status_class'>;
  private readonly requests: Counter<'route' | 'method' | 'status'>;
  private readonly upstreamCalls: Histogram<'upstream' | 'outcome'>;
  private readonly cacheLookups: Counter<'route' | 'result'>;
  private readonly degradedAnswers: Counter<'route' | 'reason'>;
  private jwksFetchFailures: Counter<'reason'> | undefined;
  private readonly responseCaches: (() => ResponseCacheGaugeState)[] = [];
  private readonly idempotencyStores: (() => number)[] = [];

  constructor(app: string) {
    this.registry.setDefaultLabels({ app });
    collectDefaultMetrics({ register: this.registry });
    // `/metrics` is public: the process metrics stay, the exact Node.js version (a gift to an attacker) goes
    this.registry.removeSingleMetric('nodejs_version_info');
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
    this.upstreamCalls = new Histogram({
      name: 'upstream_request_duration_seconds',
      help: 'Upstream calls (all attempts of one call) per upstream and outcome (2xx…5xx, timeout, unavailable, circuit-open, overloaded, bad-response, aborted)',
      labelNames: ['upstream', 'outcome'],
      buckets: DURATION_BUCKETS,
      registers: [this.registry],
    });
    this.cacheLookups = new Counter({
      name: 'response_cache_lookups_total',
      help: 'Response-cache lookups per route: hit (fresh copy), miss (upstream called), stale (served a stale copy after an upstream failure)',
      labelNames: ['route', 'result'],
      registers: [this.registry],
    });
    this.degradedAnswers = new Counter({
      name: 'degraded_responses_total',
      help: 'Answers marked X-Degraded per route and reason: partial (an optional part missing), stale (a cached copy served because the upstream failed)',
      labelNames: ['route', 'reason'],
      registers: [this.registry],
    });
    new Gauge({
      name: 'build_info',
      help: 'Always 1; version: the gateway version (the root package.json, read once at start)',
      labelNames: ['version'],
      registers: [this.registry],
    }).set({ version: BUILD_VERSION }, 1);
  }

  /**
   * One answer marked degraded (`X-Degraded`), counted with its access line. `route` must be a pattern, never a raw
   * path; `reason` is `partial` or `stale`.
   */
  observeDegraded(route: string, reason: string): void {
    this.degradedAnswers.inc({ route, reason });
  }

  /**
   * Registers `jwks_fetch_failures_total` (once; only apps that verify user tokens call it) and returns what counts
   * one failed fetch of the identity provider's JWKS, by reason: `timeout`, `network`, `status` or `bad-document`
   * (a fixed set, named by libs/auth).
   */
  countJwksFetchFailures(): (reason: string) => void {
    const counter = (this.jwksFetchFailures ??= new Counter({
      name: 'jwks_fetch_failures_total',
      help: 'Failed fetches of the identity provider JWKS by reason: timeout, network (refused, reset, DNS), status (not 200, a redirect too), bad-document (too large, not JSON, no keys array)',
      labelNames: ['reason'],
      registers: [this.registry],
    }));
    return (reason) => counter.inc({ reason });
  }

  /**
   * One response-cache lookup of a route: `hit` (a fresh copy answered), `miss` (the upstream was called), `stale`
   * (the call failed and a stale copy answered instead; that request also counted a miss).
   */
  observeCache(route: string, result: 'hit' | 'miss' | 'stale'): void {
    this.cacheLookups.inc({ route, result });
  }

  observeUpstream(upstream: string, outcome: CallOutcome, seconds: number): void {
    this.upstreamCalls.observe({ upstream, outcome }, seconds);
  }

  /**
   * Per-upstream state read at scrape time: breaker (0 closed, 1 half-open, 2 open), calls in flight, healthy
   * instances. `read` returns the current state of each upstream.
   */
  watchUpstreams(read: () => readonly UpstreamGaugeState[]): void {
    const gauge = (name: string, help: string, value: (s: UpstreamGaugeState) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['upstream'],
        registers: [this.registry],
        collect() {
          for (const state of read()) this.set({ upstream: state.upstream }, value(state));
        },
      });
    gauge('upstream_breaker_state', 'Circuit breaker per upstream: 0 closed, 1 half-open, 2 open', (s) => BREAKER_VALUE[s.breaker] ?? 2);
    gauge('upstream_in_flight', 'Calls in flight per upstream (bounded by its concurrency budget)', (s) => s.inFlight);
    gauge('upstream_healthy_instances', 'Instances in rotation per upstream (not ejected)', (s) => s.healthyInstances);
    // counters kept by each client (a number bumped where a retry or an ejection happens), copied at scrape time
    const counter = (name: string, help: string, value: (s: UpstreamGaugeState) => number) =>
      new Counter({
        name,
        help,
        labelNames: ['upstream'],
        registers: [this.registry],
        collect() {
          this.reset();
          for (const state of read()) this.inc({ upstream: state.upstream }, value(state));
        },
      });
    counter('upstream_retries_total', 'Retries per upstream (attempts after the first of a call)', (s) => s.retries);
    counter(
      'upstream_ejections_total',
      'Instances taken out of rotation per upstream by outlier detection (consecutive failures); re-admissions show in upstream_healthy_instances',
      (s) => s.ejections,
    );
  }

  /**
   * Registers `response_cache_entries` and `response_cache_bytes` (once) and adds `read` to what they sum at scrape
   * time: the copies held by an in-process response cache (the memory tier when Redis is behind it) and their body
   * bytes.
   */
  watchResponseCache(read: () => ResponseCacheGaugeState): void {
    if (this.responseCaches.push(read) > 1) return;
    const caches = this.responseCaches;
    this.summedGauge('response_cache_entries', 'Copies held by the in-process response cache (the memory tier; Redis copies not counted)', () => caches.map((c) => c().entries));
    this.summedGauge('response_cache_bytes', 'Body bytes of the copies held by the in-process response cache (the memory tier)', () => caches.map((c) => c().bytes));
  }

  /**
   * Registers `idempotency_records` (once) and adds `read` to what it sums at scrape time: the records held by an
   * in-process idempotency store. Records kept in Redis are not counted (the app then never calls this).
   */
  watchIdempotencyRecords(read: () => number): void {
    if (this.idempotencyStores.push(read) > 1) return;
    const stores = this.idempotencyStores;
    this.summedGauge(
      'idempotency_records',
      'Idempotency records held in process, claimed or answered (expired ones until swept, at most 30 s); no sample when records are in Redis',
      () => stores.map((store) => store()),
    );
  }

  /** A gauge set at scrape time to the sum of what `values` reads (every in-process store of one kind). */
  private summedGauge(name: string, help: string, values: () => number[]): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.set(values().reduce((sum, value) => sum + value, 0));
      },
    });
  }

  /**
   * Records one answered request. `route` must be a pattern, never a raw path; the request's method is
   * labelled `OTHER` when outside the fixed set.
   */
  observe(route: string, requestMethod: string, status: number, seconds: number): void {
    const method = METHOD_LABELS.has(requestMethod) ? requestMethod : OTHER_METHOD;
    this.duration.observe({ route, method, status_class: STATUS_CLASS[(status / 100) | 0] ?? '5xx' }, seconds);
    this.requests.inc({ route, method, status: String(status) });
  }

  /** A fresh rendering of the registry. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  /**
   * What `GET /metrics` answers. One rendering (10-20 ms of CPU, more with many series) answers every
   * scrape for `METRICS_TTL_MS`, and concurrent scrapes share the one in flight (a failed one too, as long):
   * the route is public and not rate limited, so without it anyone could make the gateway render as often as
   * they ask. Only the text is reused (its bytes: nothing is encoded again), counting goes on; Prometheus,
   * scraping every 15-60 s, always gets a fresh one. `text()` is always fresh.
   */
  readonly scrape: () => Promise<RenderedMetrics> = sharedFor(METRICS_TTL_MS, () => {
    const contentType = this.contentType;
    return this.text().then((text) => ({ body: Buffer.from(text), contentType }));
  });

  get contentType(): string {
    return this.registry.contentType;
  }
}
