import { decodeBody } from '@frontdoor/translator';
import { problemForUpstreamStatus } from './status-mapping';
import { upstreamInvalidBody } from './upstream.errors';
import type { UpstreamResponse } from './upstream.types';

/**
 * The value of a complete upstream answer: the status mapped (see `problemForUpstreamStatus`), then the body decoded
 * as JSON or XML by the translator within `maxBytes`. An empty 2xx body (204, HEAD) decodes to `undefined`.
 * @throws ProblemError / UpstreamError for a non-2xx status; UpstreamError bad-response for an undecodable body
 */
export function decodeResponse(
  upstream: string,
  response: UpstreamResponse,
  maxBytes: number,
  arrays: readonly string[] | undefined,
): unknown {
  const problem = problemForUpstreamStatus(upstream, response);
  if (problem) throw problem;
  if (response.body.length === 0) return undefined;
  const contentType = response.headers['content-type'];
  try {
    return decodeBody(response.body, typeof contentType === 'string' ? contentType : undefined, {
      maxBytes,
      arrays,
    }).value;
  } catch (cause) {
    throw upstreamInvalidBody(upstream, cause);
  }
}
