/** How one named upstream is reached. Built once at start (see `upstreamDefinitionsFromConfig`). */
export interface UpstreamOptions {
  /** Logical name used in every error detail (`'payroll'`); never the host. */
  readonly name: string;
  /** One or more instances, used round-robin. A path prefix (`http://h:1/api`) is kept: requests go under it. */
  readonly urls: readonly URL[];
  /** Keep-alive connections per instance. Default 64. */
  readonly connections?: number;
  /** Largest response body read, in bytes (checked on `content-length` and while streaming). Default 8 MiB. */
  readonly maxResponseBytes?: number;
  /** Whole-exchange deadline in ms: connect + headers + full body. Default 3000. */
  readonly defaultDeadlineMs?: number;
}

/** The methods an upstream call may use. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One call to an upstream. Nothing here may come unchecked from the client: paths come from `buildPath`. */
export interface UpstreamRequest {
  readonly method: HttpMethod;
  /** Starts with `/`, never `//` (programming error otherwise); appended to the instance's path prefix. */
  readonly path: string;
  /** Encoded by the client (`encodeURIComponent` on names and values); `undefined` values are skipped. */
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** Allow-listed headers chosen by the caller (x-request-id, traceparent, identity token…); lower-case names. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  /** Overrides `defaultDeadlineMs` for this call. */
  readonly deadlineMs?: number;
  /** Caller cancellation (e.g. the client went away). See `UpstreamAbortedError`. */
  readonly signal?: AbortSignal;
}

/** A complete upstream answer: any status, the whole body read. Headers exactly as undici parsed them. */
export interface UpstreamResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/** Keep-alive connections per instance when `connections` is not given. */
export const DEFAULT_CONNECTIONS = 64;
/** Response body cap when `maxResponseBytes` is not given: 8 MiB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
/** Whole-exchange deadline when neither `deadlineMs` nor `defaultDeadlineMs` is given, ms. */
export const DEFAULT_DEADLINE_MS = 3000;
/** Per-instance timeout of `probe()`, ms. */
export const DEFAULT_PROBE_TIMEOUT_MS = 500;
