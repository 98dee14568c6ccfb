import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ORDER_BODY_LIMIT_BYTES } from '../orders/order-limits';
import { ProblemDto } from './problem.dto';

const WHEN: Readonly<Record<number, string>> = {
  400: 'Malformed request or invalid fields (type validation-failed lists them in `errors`).',
  401: 'Missing or unknown API key. Carries `WWW-Authenticate: ApiKey header="X-API-Key"`.',
  404: 'No such resource — or one that belongs to another partner.',
  406: 'The Accept header allows neither application/json nor application/xml.',
  409: 'A request with this Idempotency-Key is still in progress; retry after `Retry-After` seconds.',
  413: `The request body is larger than the route accepts (an order: ${ORDER_BODY_LIMIT_BYTES / 1024} KiB).`,
  415: 'The request body is neither JSON nor XML.',
  422: 'The Idempotency-Key was used with another body, or the order cannot be placed (unknown customer or sku).',
  429: 'Rate limit (per second) or daily quota of the plan exceeded; carries `Retry-After` (seconds).',
  502: 'A backend answered garbage.',
  503: 'A backend is unavailable; carries `Retry-After`.',
  504: 'A backend did not answer in time.',
};

const PROBLEM = { schema: { $ref: getSchemaPath(ProblemDto) } };

/** Documents error answers as problem details, in both representations; one line per status. */
export const ApiProblems = (...statuses: readonly number[]) =>
  applyDecorators(
    ApiExtraModels(ProblemDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: WHEN[status] ?? 'Error.',
        content: { 'application/problem+json': PROBLEM, 'application/problem+xml': PROBLEM },
        ...(status === 429 || status === 503 || status === 409 ? { headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } } } : {}),
      }),
    ),
  );

/** The errors any partner route can answer: bad key, unsupported Accept, limits, backends down. */
export const ApiPartnerProblems = () => ApiProblems(401, 406, 429, 502, 503, 504);
