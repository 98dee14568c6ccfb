import { PROBLEM_TYPE_PREFIX, PROBLEM_TYPES, slugForStatus } from './problem-types';
import { isProblemError } from './problem.errors';

/** An RFC 9457 problem details document as Frontdoor renders it. */
export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
  readonly requestId: string;
  readonly [extension: string]: unknown;
}

export interface RenderedProblem {
  readonly document: ProblemDocument;
  readonly headers: Readonly<Record<string, string>>;
}

const RESERVED = new Set(['type', 'title', 'status', 'detail', 'instance', 'requestId']);

/**
 * Turns any thrown value into the problem document the client sees. `ProblemError`s render as declared;
 * anything else becomes a generic 500 whose details stay in the log.
 * @param instance the request path (without query string: it may hold secrets)
 */
export function toProblemDocument(error: unknown, requestId: string, instance: string): RenderedProblem {
  if (!isProblemError(error)) {
    const internal = PROBLEM_TYPES.internal;
    return {
      document: {
        type: PROBLEM_TYPE_PREFIX + 'internal',
        title: internal.title,
        status: internal.status,
        detail: 'An unexpected error occurred. Quote the requestId when reporting it.',
        instance,
        requestId,
      },
      headers: {},
    };
  }
  const document: Record<string, unknown> = {
    type: PROBLEM_TYPE_PREFIX + error.slug,
    title: error.title,
    status: error.status,
    detail: error.detail,
    instance,
    requestId,
  };
  for (const [key, value] of Object.entries(error.extensions)) if (!RESERVED.has(key)) document[key] = value;
  return { document: document as ProblemDocument, headers: error.headers };
}

/** A problem for a bare HTTP status raised by the framework (router, body parser, HTTP parser). */
export function problemForStatus(status: number, detail: string, requestId: string, instance: string): ProblemDocument {
  const slug = slugForStatus(status);
  return {
    type: PROBLEM_TYPE_PREFIX + slug,
    title: PROBLEM_TYPES[slug].title,
    status: PROBLEM_TYPES[slug].status === status ? status : PROBLEM_TYPES[slug].status,
    detail,
    instance,
    requestId,
  };
}
