import { ProblemError, slugForStatus, type ProblemSlug } from '@frontdoor/errors';

/**
 * Translates what the framework throws (Nest HttpExceptions, Fastify's coded errors, body-parser SyntaxErrors)
 * into our problems. Framework messages are never echoed: they can quote client input or internals.
 */
const FASTIFY_DETAILS: Readonly<Record<string, [ProblemSlug, string]>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ['payload-too-large', 'The request body is larger than this route accepts.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['unsupported-media-type', 'The request body has a media type this route does not accept.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['bad-request', 'The Content-Length header does not match the body.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['bad-request', 'The request body is empty but declared as JSON.'],
  FST_ERR_CTP_INVALID_JSON_BODY: ['bad-request', 'The request body is not valid JSON.'],
  FST_ERR_BAD_URL: ['bad-request', 'The request URL is malformed.'],
  FST_ERR_MAX_PARAM_LENGTH: ['uri-too-long', 'A path parameter is too long.'],
};

const STATUS_DETAILS: Readonly<Record<number, string>> = {
  400: 'The request is malformed.',
  401: 'Authentication is required.',
  403: 'Access to this resource is not allowed.',
  404: 'No route matches this method and path.',
  405: 'This method is not allowed on this route.',
  413: 'The request body is too large.',
  415: 'The request body has an unsupported media type.',
};

interface HttpExceptionLike {
  getStatus(): number;
  getResponse(): unknown;
}

function isHttpException(error: unknown): error is HttpExceptionLike {
  return typeof (error as HttpExceptionLike | null)?.getStatus === 'function';
}

function validationErrors(response: unknown): string[] | undefined {
  const message = (response as { message?: unknown } | null)?.message;
  return Array.isArray(message) && message.every((m) => typeof m === 'string') ? message : undefined;
}

/** Returns a ProblemError for a framework error, or the error itself when it is not one (→ generic 500). */
export function fromFrameworkError(error: unknown): unknown {
  if (isHttpException(error)) {
    const status = error.getStatus();
    const errors = status === 400 ? validationErrors(error.getResponse()) : undefined;
    if (errors) return new ProblemError('validation-failed', 'The request has invalid fields.', { extensions: { errors } });
    // A body-parser SyntaxError arrives as a 400 HttpException carrying the parser's message: never echo it.
    const slug = slugForStatus(status);
    return new ProblemError(slug, STATUS_DETAILS[status] ?? 'The request could not be handled.', { cause: error });
  }
  const coded = error as { code?: unknown; statusCode?: unknown } | null;
  if (typeof coded?.code === 'string' && coded.code in (FASTIFY_DETAILS as object)) {
    const [slug, detail] = FASTIFY_DETAILS[coded.code] as [ProblemSlug, string];
    return new ProblemError(slug, detail, { cause: error });
  }
  if (typeof coded?.statusCode === 'number' && coded.statusCode >= 400 && coded.statusCode < 500) {
    return new ProblemError(slugForStatus(coded.statusCode), STATUS_DETAILS[coded.statusCode] ?? 'The request could not be handled.', {
      cause: error,
    });
  }
  return error;
}
