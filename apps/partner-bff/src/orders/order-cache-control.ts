import { Header } from '@nestjs/common';

/**
 * A partner's orders are that partner's alone: no cache, shared or private, may keep an answer carrying them (a shared
 * cache would otherwise serve one partner's orders to another). The value the other apps give personal data.
 */
export const ORDER_CACHE_CONTROL = 'no-store';

/**
 * Sets `Cache-Control: no-store` on every answer of the handler. Nest sets it after the guards and before the
 * interceptors, so an idempotent replay carries it too; problem answers set their own (also `no-store`).
 */
export const NoStore = () => Header('Cache-Control', ORDER_CACHE_CONTROL);

/** The response header as the OpenAPI documents declare it. */
export const NO_STORE_HEADER = {
  'Cache-Control': {
    description: '`no-store`: the answer holds your orders; no cache may keep it.',
    schema: { type: 'string' },
  },
} as const;
