import { SetMetadata } from '@nestjs/common';

export const IDEMPOTENT_KEY = 'frontdoor:idempotent';

/**
 * The route requires an `Idempotency-Key` header: the same key with the same body returns the first answer
 * (status and body) without running the handler again; the same key with another body is 422; concurrent
 * duplicates run the handler once.
 */
export const Idempotent = () => SetMetadata(IDEMPOTENT_KEY, true);
