import type { UpstreamResponse } from './upstream.types';

/** Longest upstream `detail` passed on, characters. */
export const MAX_PASSED_DETAIL = 160;
const MAX_PROBLEM_BYTES = 4096;
/** Letters, digits, spaces and plain punctuation only: no markup, quotes, braces, backslashes or controls. */
const PLAIN = /^[\p{L}\p{N} .,:;!?()[\]_#+=/-]+$/u;
/** Anything that could name a place: a scheme, an IPv4/IPv6-ish address, a host:port, a dotted host name, a path. */
const PLACE = /:\/\/|\d{1,3}(?:\.\d{1,3}){3}|::|localhost|:\d{2,5}\b|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:[a-z]{2,}|\d+)\b(?!\[)|(?:^|\s)\/\S/i;
const SECRETY = /token|secret|password|stack|exception|internal/i;

/**
 * The `detail` of an upstream's 400/409/422 problem document when it is safe to show the client: a JSON body
 * (`application/problem+json` or `application/json`) of at most 4 KiB whose `detail` is a plain string of at most
 * 160 characters naming no URL, host, address, port or path, and no stack/secret words. Anything else → undefined
 * (the caller says something generic). A business rule ("items[0].sku SKU-9 is not a known product") helps the
 * client fix its request; the rest of the upstream body never leaves the gateway.
 */
export function safeUpstreamDetail(response: UpstreamResponse): string | undefined {
  const type = response.headers['content-type'];
  if (typeof type !== 'string' || !/^application\/(?:problem\+)?json\b/i.test(type)) return undefined;
  if (response.body.length === 0 || response.body.length > MAX_PROBLEM_BYTES) return undefined;
  let detail: unknown;
  try {
    detail = (JSON.parse(response.body.toString('utf8')) as { detail?: unknown } | null)?.detail;
  } catch {
    return undefined;
  }
  if (typeof detail !== 'string') return undefined;
  const text = detail.trim();
  if (text === '' || text.length > MAX_PASSED_DETAIL || !PLAIN.test(text) || PLACE.test(text) || SECRETY.test(text)) {
    return undefined;
  }
  return text;
}
