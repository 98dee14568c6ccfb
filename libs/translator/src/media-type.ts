/** A parsed `type/subtype; name=value` (RFC 9110 §8.3.1), lower-cased except parameter values. */
export interface ParsedMediaType {
  readonly type: string;
  readonly subtype: string;
  /** In the order written; names lower-cased, values unquoted. */
  readonly params: readonly (readonly [name: string, value: string])[];
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"')
    ? value.slice(1, -1).replace(/\\(.)/g, '$1')
    : value;
}

/**
 * Parses a Content-Type value or one Accept range; `undefined` when the type/subtype is not two tokens. Malformed
 * parameters are skipped (tolerant reader): quoted `;` is not supported, which only ever splits a junk parameter.
 */
export function parseMediaType(value: string): ParsedMediaType | undefined {
  const [essence = '', ...rawParams] = value.split(';');
  const slash = essence.indexOf('/');
  if (slash === -1) return undefined;
  const type = essence.slice(0, slash).trim().toLowerCase();
  const subtype = essence.slice(slash + 1).trim().toLowerCase();
  if (!TOKEN.test(type) || !TOKEN.test(subtype)) return undefined;
  const params: (readonly [string, string])[] = [];
  for (const raw of rawParams) {
    const eq = raw.indexOf('=');
    if (eq === -1) continue;
    const name = raw.slice(0, eq).trim().toLowerCase();
    if (TOKEN.test(name)) params.push([name, unquote(raw.slice(eq + 1).trim())]);
  }
  return { type, subtype, params };
}

/** The value of parameter `name`, if present. */
export function paramOf(media: ParsedMediaType, name: string): string | undefined {
  return media.params.find(([n]) => n === name)?.[1];
}
