import type { Principal } from '@frontdoor/rbac';

/**
 * The bucket a request counts against: the API key's partner, the token's subject, and the client IP only when
 * nobody is authenticated. `ip` is Fastify's `request.ip`: the socket address unless the peer is inside
 * TRUST_PROXY, then the right-most untrusted X-Forwarded-For hop — a spoofed header from an untrusted peer
 * changes nothing.
 */
export function trackerOf(principal: Principal, ip: string): string {
  switch (principal.kind) {
    case 'partner':
      return `partner:${principal.id}`;
    case 'user':
      return `user:${principal.id}`;
    default:
      return `ip:${ip}`;
  }
}
