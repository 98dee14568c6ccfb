import type { HeadersObject } from '@nestjs/swagger';
import { V1_DEPRECATED_AT, V1_SUNSET_AT } from '../v1/v1-lifecycle.hook';

const integer = { type: 'integer', minimum: 0 } as const;
const text = { type: 'string' } as const;

/** On every answer (the platform's request-id hook, and the problem writer). */
export const REQUEST_ID_HEADER: HeadersObject = {
  'X-Request-Id': {
    description:
      'Identifies this request: yours when you sent 1–128 characters of `[A-Za-z0-9._-]`, else generated. Quote it when reporting a problem.',
    schema: text,
  },
};

/**
 * On every answer past the rate-limit guard and the quota guard (libs/rate-limit): all the successes of a partner route.
 * Answers refused before them (401) do not carry them; which refusals after them do is not promised.
 */
export const LIMIT_HEADERS: HeadersObject = {
  'RateLimit-Limit': { description: 'Requests per second of your plan.', schema: integer },
  'RateLimit-Remaining': { description: 'Requests left in the current second.', schema: integer },
  'RateLimit-Reset': { description: 'Seconds until the current window ends.', schema: integer },
  'Quota-Limit': { description: 'Requests per day (UTC) of your plan.', schema: integer },
  'Quota-Remaining': { description: 'Requests left today, this one counted.', schema: integer },
};

/** On every v1 answer, errors included (the v1 lifecycle hook). */
export const V1_LIFECYCLE_HEADERS: HeadersObject = {
  Deprecation: {
    description: 'v1 is deprecated since this instant (RFC 9745): `@` and seconds since the epoch.',
    schema: { ...text, example: `@${Math.floor(V1_DEPRECATED_AT.getTime() / 1000)}` },
  },
  Sunset: {
    description: 'v1 goes away at this instant (RFC 8594), an HTTP date.',
    schema: { ...text, example: V1_SUNSET_AT.toUTCString() },
  },
  Link: {
    description:
      'The v2 equivalent of this request (`rel="successor-version"`) and where the deprecation is documented (`rel="deprecation"`).',
    schema: { ...text, example: '</v2/products>; rel="successor-version", </docs>; rel="deprecation"' },
  },
};

/** The headers the answers of a documented partner operation carry, by status: one place for every operation. Pure. */
export function answerHeaders(status: string, deprecatedVersion: boolean): HeadersObject {
  return {
    ...REQUEST_ID_HEADER,
    ...(status.startsWith('2') ? LIMIT_HEADERS : {}),
    ...(deprecatedVersion ? V1_LIFECYCLE_HEADERS : {}),
  };
}
