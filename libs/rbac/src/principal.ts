import type { FastifyRequest } from 'fastify';

/**
 * Who is calling. The authentication guards (libs/auth) attach it to the request; until a guard has run, a
 * request is anonymous with no roles — which sees nothing role-gated.
 */
export interface Principal {
  readonly kind: 'user' | 'partner' | 'anonymous';
  readonly id: string;
  readonly roles: readonly string[];
  /** Partners: the usage plan of the API key (`free`, `gold`, …); limits per plan come from config. */
  readonly plan?: string;
  /** Partners: the id of the API key used (never the key or its hash), e.g. for per-key limits and audit. */
  readonly keyId?: string;
}

export const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous', id: 'anonymous', roles: Object.freeze([]) as readonly string[] });

export function principalOf(request: FastifyRequest): Principal {
  return (request as FastifyRequest & { principal?: Principal }).principal ?? ANONYMOUS;
}
