import { SetMetadata } from '@nestjs/common';

export const IDEMPOTENT_KEY = 'frontdoor:idempotent';

/**
 * Whether an idempotent route needs the `Idempotency-Key` header. `required`: a request without one is 400.
 * `optional`: a request without one runs as on any route (no record, no upstream key), for routes whose clients
 * never had to send it; a malformed key is 400 either way.
 */
export type IdempotencyKeyPolicy = 'required' | 'optional';

/**
 * The route honours an `Idempotency-Key` header (required unless `'optional'` is given): the same key with the same
 * body returns the first answer (status and body) without running the handler again; the same key with another body
 * is 422; concurrent duplicates run the handler once.
 */
export const Idempotent = (key: IdempotencyKeyPolicy = 'required') => SetMetadata(IDEMPOTENT_KEY, key);
