import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** PRODUCT.md: a client's `X-Request-Id` is kept when it is 1–128 characters of `[A-Za-z0-9._-]`. */
const WELL_FORMED = /^[A-Za-z0-9._-]{1,128}$/;

export function isWellFormedRequestId(value: unknown): value is string {
  return typeof value === 'string' && WELL_FORMED.test(value);
}

/** Fastify `genReqId`: the client's id when well-formed, else a fresh UUID. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return isWellFormedRequestId(given) ? given : randomUUID();
}
