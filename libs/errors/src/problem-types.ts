/**
 * The one catalogue of problem types Frontdoor answers with (RFC 9457). Each slug is the last part of the
 * problem's `type` URI, and fixes its HTTP status and title. Clients may switch on `type`; titles never change.
 */
export const PROBLEM_TYPES = {
  'bad-request': { status: 400, title: 'Bad Request' },
  'invalid-path': { status: 400, title: 'Invalid Path' },
  'validation-failed': { status: 400, title: 'Validation Failed' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  'not-found': { status: 404, title: 'Not Found' },
  'method-not-allowed': { status: 405, title: 'Method Not Allowed' },
  'not-acceptable': { status: 406, title: 'Not Acceptable' },
  'request-timeout': { status: 408, title: 'Request Timeout' },
  conflict: { status: 409, title: 'Conflict' },
  'precondition-failed': { status: 412, title: 'Precondition Failed' },
  'payload-too-large': { status: 413, title: 'Payload Too Large' },
  'uri-too-long': { status: 414, title: 'URI Too Long' },
  'unsupported-media-type': { status: 415, title: 'Unsupported Media Type' },
  'expectation-failed': { status: 417, title: 'Expectation Failed' },
  'unprocessable-content': { status: 422, title: 'Unprocessable Content' },
  'rate-limited': { status: 429, title: 'Too Many Requests' },
  'headers-too-large': { status: 431, title: 'Request Header Fields Too Large' },
  internal: { status: 500, title: 'Internal Server Error' },
  'not-implemented': { status: 501, title: 'Not Implemented' },
  'upstream-bad-response': { status: 502, title: 'Bad Gateway' },
  'upstream-unavailable': { status: 503, title: 'Service Unavailable' },
  'service-unavailable': { status: 503, title: 'Service Unavailable' },
  'upstream-timeout': { status: 504, title: 'Gateway Timeout' },
  'http-version-not-supported': { status: 505, title: 'HTTP Version Not Supported' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemSlug = keyof typeof PROBLEM_TYPES;

/** Prefix of every problem `type` URI: a non-resolvable URN (RFC 9457 §3.1.1 allows it; nothing to fetch). */
export const PROBLEM_TYPE_PREFIX = 'urn:frontdoor:problem:';

/** The slug for an HTTP status when nothing more specific is known (framework errors, upstream 4xx). */
export function slugForStatus(status: number): ProblemSlug {
  switch (status) {
    case 400: return 'bad-request';
    case 401: return 'unauthorized';
    case 403: return 'forbidden';
    case 404: return 'not-found';
    case 405: return 'method-not-allowed';
    case 406: return 'not-acceptable';
    case 408: return 'request-timeout';
    case 409: return 'conflict';
    case 412: return 'precondition-failed';
    case 413: return 'payload-too-large';
    case 414: return 'uri-too-long';
    case 415: return 'unsupported-media-type';
    case 417: return 'expectation-failed';
    case 422: return 'unprocessable-content';
    case 429: return 'rate-limited';
    case 431: return 'headers-too-large';
    case 501: return 'not-implemented';
    case 502: return 'upstream-bad-response';
    case 503: return 'service-unavailable';
    case 504: return 'upstream-timeout';
    case 505: return 'http-version-not-supported';
    default: return status >= 400 && status < 500 ? 'bad-request' : 'internal';
  }
}
