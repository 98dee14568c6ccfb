import { PROBLEM_TYPES, type ProblemSlug } from './problem-types';

/** Extra members of a problem document (RFC 9457 §3.2), e.g. `errors` of a validation failure. */
export type ProblemExtensions = Readonly<Record<string, unknown>>;

export interface ProblemOptions {
  /** Response headers that belong to this problem (`Retry-After`, `WWW-Authenticate`, …). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly extensions?: ProblemExtensions;
  /** The underlying error, for the log only: never rendered. */
  readonly cause?: unknown;
}

const PROBLEM_BRAND = Symbol.for('frontdoor.problem');

/**
 * Every error Frontdoor answers deliberately. `detail` is rendered to the client, so it must never hold a host
 * name, a credential or an upstream body. Anything that is not a `ProblemError` renders as a generic 500.
 */
export class ProblemError extends Error {
  readonly [PROBLEM_BRAND] = true;
  readonly status: number;
  readonly title: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly extensions: ProblemExtensions;

  constructor(
    readonly slug: ProblemSlug,
    readonly detail: string,
    options: ProblemOptions = {},
  ) {
    super(detail, { cause: options.cause });
    this.name = 'ProblemError';
    this.status = PROBLEM_TYPES[slug].status;
    this.title = PROBLEM_TYPES[slug].title;
    this.headers = options.headers ?? {};
    this.extensions = options.extensions ?? {};
  }
}

/** Brand check that survives duplicated module instances (bundles, jest module registries). */
export function isProblemError(error: unknown): error is ProblemError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[PROBLEM_BRAND] === true;
}

/** What went wrong at an upstream, named by its logical name ("payroll"), never by its host. */
export type UpstreamFailure = 'timeout' | 'unavailable' | 'bad-response' | 'overloaded';

const FAILURE_SLUG: Record<UpstreamFailure, ProblemSlug> = {
  timeout: 'upstream-timeout',
  unavailable: 'upstream-unavailable',
  overloaded: 'upstream-unavailable',
  'bad-response': 'upstream-bad-response',
};

/** An upstream call failed: 504 (timeout), 503 (unavailable/overloaded) or 502 (bad response). */
export class UpstreamError extends ProblemError {
  constructor(
    readonly upstream: string,
    readonly failure: UpstreamFailure,
    detail: string,
    options: ProblemOptions = {},
  ) {
    super(FAILURE_SLUG[failure], detail, options);
    this.name = 'UpstreamError';
  }
}

export function isUpstreamError(error: unknown): error is UpstreamError {
  return isProblemError(error) && error instanceof Error && error.name === 'UpstreamError';
}
