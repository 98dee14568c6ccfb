/**
 * Which headers cross the gateway. Nothing is copied by default: a route names the request headers it forwards and
 * the response headers it passes back; these rules decide what may be named at all, and strip hop-by-hop headers
 * (RFC 9110 §7.6.1) — the fixed ones and any the peer names in its own `Connection` header — both ways.
 */

/** Hop-by-hop headers: meaningful for one connection only, never forwarded. `proxy-*` are matched by prefix. */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
]);

/** Request headers a route may never forward: credentials, identity claims, routing and framing. */
const NEVER_FORWARDED = /^(?:authorization|cookie|host|content-length|content-encoding|expect|forwarded|x-forwarded-.*|x-real-ip|x-user-.*|x-roles?|x-api-key|x-auth-.*|x-original-.*|x-rewrite-url|x-http-method-override)$/;
/** Response headers a route may never pass back: cookies, server identity, framing, locations inside the estate. */
const NEVER_RETURNED = /^(?:set-cookie2?|server|x-powered-by|via|x-aspnet-version|x-runtime|location|content-location|content-length|content-encoding|content-type|www-authenticate|alt-svc|strict-transport-security|x-request-id|x-upstream-.*|x-backend-.*)$/;
const TOKEN = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;

export function isHopByHop(name: string): boolean {
  return HOP_BY_HOP.has(name) || name.startsWith('proxy-');
}

/** Why `name` cannot be on a route's request-header allow-list, or undefined when it can. */
export function forwardableHeaderProblem(name: string): string | undefined {
  if (!TOKEN.test(name)) return 'is not a lower-case header name';
  if (isHopByHop(name)) return 'is a hop-by-hop header';
  if (NEVER_FORWARDED.test(name)) return 'may carry credentials or identity and is never forwarded';
  return undefined;
}

/** Why `name` cannot be on a route's response-header allow-list, or undefined when it can. */
export function returnableHeaderProblem(name: string): string | undefined {
  if (!TOKEN.test(name)) return 'is not a lower-case header name';
  if (isHopByHop(name)) return 'is a hop-by-hop header';
  if (NEVER_RETURNED.test(name)) return 'reveals the estate or is set by the gateway itself';
  return undefined;
}

/** The header names listed in a `Connection` value (lower-cased); empty for none. */
export function connectionTokens(value: string | string[] | undefined): ReadonlySet<string> | undefined {
  if (value === undefined) return undefined;
  const tokens = new Set<string>();
  for (const part of (Array.isArray(value) ? value.join(',') : value).split(',')) {
    const token = part.trim().toLowerCase();
    if (token !== '') tokens.add(token);
  }
  return tokens;
}

type IncomingHeaders = Readonly<Record<string, string | string[] | undefined>>;

/**
 * Copies the allow-listed headers of `incoming` (lower-case names, as Node gives them) onto `base`: single values
 * only (a repeated header is not forwarded), hop-by-hop headers and those the sender named in `Connection` skipped.
 * Returns `base` itself when nothing is added.
 */
export function pickHeaders(
  incoming: IncomingHeaders,
  allowed: readonly string[],
  base: Readonly<Record<string, string>>,
): Readonly<Record<string, string>> {
  if (allowed.length === 0) return base;
  const named = connectionTokens(incoming['connection']);
  let picked: Record<string, string> | undefined;
  for (const name of allowed) {
    const value = incoming[name];
    if (typeof value !== 'string' || isHopByHop(name) || named?.has(name)) continue;
    picked ??= { ...base };
    picked[name] = value;
  }
  return picked ?? base;
}
