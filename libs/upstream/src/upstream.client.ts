import { Pool, type Dispatcher } from 'undici';
import { decodeResponse } from './decode-response';
import { ExchangeSignal } from './exchange.signal';
import { exchange, type ExchangeLimits } from './upstream.exchange';
import { appendQuery } from './query-string';
import {
  DEFAULT_CONNECTIONS,
  DEFAULT_DEADLINE_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_PROBE_TIMEOUT_MS,
  type UpstreamOptions,
  type UpstreamRequest,
  type UpstreamResponse,
} from './upstream.types';

/**
 * undici's own header/body timeouts are only a backstop behind the per-request deadline timer (undici's timers are
 * coarse); they sit this far behind the deadline so the deadline always wins.
 */
const BACKSTOP_MARGIN_MS = 1000;

interface Instance {
  readonly pool: Pool;
  /** The base URL's path without its trailing slash: '' or '/api'. */
  readonly prefix: string;
}

function checkPath(path: string): void {
  if (path.charCodeAt(0) !== 47 /* / */ || path.charCodeAt(1) === 47) {
    throw new Error(
      `upstream path must start with a single '/' (use buildPath): ${JSON.stringify(path.slice(0, 40))}`,
    );
  }
}

function checkBaseUrl(name: string, url: URL): void {
  if (
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.search ||
    url.hash ||
    url.username ||
    url.password
  ) {
    throw new Error(`upstream ${name}: base URLs must be http(s) without query, fragment or credentials`);
  }
}

/**
 * The client of one named upstream: one undici `Pool` per instance URL (keep-alive, pipelining 1), chosen
 * round-robin. Everything is built once here; a call allocates only its request options, one timer and one
 * abort signal (see `ExchangeSignal`). Redirects are never followed. Errors name the upstream (`options.name`),
 * never its host; the original error is their `cause`, for the log only.
 */
export class UpstreamClient {
  readonly name: string;
  private readonly instances: readonly Instance[];
  private readonly limits: ExchangeLimits;
  private readonly defaultDeadlineMs: number;
  private readonly backstopMs: number;
  private next = 0;
  private closing: Promise<void> | undefined;

  /** @throws Error when `urls` is empty or a URL is not http(s) without query/fragment/credentials */
  constructor(options: UpstreamOptions) {
    this.name = options.name;
    this.defaultDeadlineMs = options.defaultDeadlineMs ?? DEFAULT_DEADLINE_MS;
    this.backstopMs = this.defaultDeadlineMs + BACKSTOP_MARGIN_MS;
    const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.limits = Object.freeze({ name: options.name, maxResponseBytes });
    if (options.urls.length === 0) throw new Error(`upstream ${options.name} has no URL`);
    for (const url of options.urls) checkBaseUrl(options.name, url);
    const poolOptions: Pool.Options = {
      connections: options.connections ?? DEFAULT_CONNECTIONS,
      pipelining: 1,
      headersTimeout: this.backstopMs,
      bodyTimeout: this.backstopMs,
      maxResponseSize: maxResponseBytes,
    };
    // the Pool is bound to the origin: only the path of a call varies, so no input can pick another host
    this.instances = Object.freeze(
      options.urls.map((url) => ({
        pool: new Pool(url.origin, poolOptions),
        prefix: url.pathname.replace(/\/+$/, ''),
      })),
    );
  }

  /**
   * Raw exchange: resolves for ANY status (3xx/4xx/5xx included) once the whole body (≤ `maxResponseBytes`) is read.
   * @throws UpstreamError `unavailable` (503): refused/reset/DNS/socket error before a complete response
   * @throws UpstreamError `timeout` (504): the deadline (`deadlineMs` ?? `defaultDeadlineMs`) passed, whatever phase
   * @throws UpstreamError `bad-response` (502): body over the cap (by content-length or while streaming), cut off
   *   mid-body, or invalid HTTP
   * @throws UpstreamAbortedError when `req.signal` aborted before the deadline fired
   * @throws Error (programming error) for a path not starting with a single `/` or a non-positive deadline
   */
  async request(req: UpstreamRequest): Promise<UpstreamResponse> {
    checkPath(req.path);
    const deadlineMs = req.deadlineMs ?? this.defaultDeadlineMs;
    if (!(deadlineMs > 0)) throw new Error(`upstream ${this.name}: deadlineMs must be positive`);
    const instance = this.instances[this.next];
    this.next = this.next + 1 === this.instances.length ? 0 : this.next + 1;
    // only a call that outlives the default deadline needs its own backstop; undefined keeps the pool's
    const backstopMs =
      deadlineMs + BACKSTOP_MARGIN_MS > this.backstopMs ? deadlineMs + BACKSTOP_MARGIN_MS : undefined;
    const signal = new ExchangeSignal();
    const options: Dispatcher.RequestOptions = {
      method: req.method,
      path: instance.prefix + appendQuery(req.path, req.query),
      headers: req.headers,
      body: req.body,
      signal,
      headersTimeout: backstopMs,
      bodyTimeout: backstopMs,
    };
    return exchange(instance.pool, options, signal, this.limits, deadlineMs, req.signal);
  }

  /**
   * `request()` plus status mapping and decoding: 2xx → the JSON or XML body decoded by the translator (within
   * `maxResponseBytes`; `decode.arrays` names XML elements that are always arrays), `undefined` for an empty body.
   * @throws ProblemError `not-found` (404) on 404; ProblemError 400/409/422 with a generic detail on those statuses
   * @throws UpstreamError `overloaded` (503, with `Retry-After`) on 429/503; `bad-response` (502) on 3xx, other
   *   4xx, 5xx and undecodable bodies; plus everything `request()` throws
   */
  async fetch<T = unknown>(
    req: UpstreamRequest,
    decode?: { readonly arrays?: readonly string[] },
  ): Promise<T> {
    const response = await this.request(req);
    return decodeResponse(this.name, response, this.limits.maxResponseBytes, decode?.arrays) as T;
  }

  /**
   * `GET <prefix>/health` on every instance, each within `timeoutMs` (default 500); true when at least one answers
   * 2xx. Never throws.
   */
  async probe(timeoutMs = DEFAULT_PROBE_TIMEOUT_MS): Promise<boolean> {
    const answers = await Promise.all(this.instances.map((instance) => this.probeOne(instance, timeoutMs)));
    return answers.includes(true);
  }

  private async probeOne(instance: Instance, timeoutMs: number): Promise<boolean> {
    try {
      const signal = new ExchangeSignal();
      const options: Dispatcher.RequestOptions = { method: 'GET', path: `${instance.prefix}/health`, signal };
      const { status } = await exchange(instance.pool, options, signal, this.limits, timeoutMs, undefined);
      return status >= 200 && status < 300;
    } catch {
      return false;
    }
  }

  /** Closes every pool, letting in-flight calls finish (each is bounded by its deadline). Idempotent. */
  close(): Promise<void> {
    this.closing ??= Promise.all(this.instances.map((instance) => instance.pool.close())).then(
      () => undefined,
    );
    return this.closing;
  }

  /** Whether every pool has been closed (for tests and health reporting). */
  get closed(): boolean {
    return this.instances.every((instance) => instance.pool.closed);
  }
}
