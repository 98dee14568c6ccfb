import type { ApiHeaderOptions } from '@nestjs/swagger';

/** The request header of every order-placing operation. */
export const IDEMPOTENCY_KEY_HEADER: ApiHeaderOptions = {
  name: 'Idempotency-Key',
  required: true,
  description:
    'A unique key per order (8–255 visible ASCII characters, e.g. a UUID), kept for 24 h per partner. A retry with the ' +
    'same key and body answers the first answer again without placing a second order; the same key with another body is 422.',
  schema: { type: 'string', minLength: 8, maxLength: 255 },
};

/** The response header that marks a replayed answer. */
export const IDEMPOTENT_REPLAYED_HEADER = {
  'Idempotent-Replayed': { description: '`true` when this is the stored answer to an earlier request with the same key.', schema: { type: 'string' } },
} as const;

/** The response headers of a placed order: where it now lives, and the replay marker. */
export const CREATED_ORDER_HEADERS = {
  Location: { description: 'The order placed, in the version that placed it: `/v1/orders/O-00042` from v1, `/v2/orders/O-00042` from v2.', schema: { type: 'string' } },
  ...IDEMPOTENT_REPLAYED_HEADER,
} as const;
