import { isIP } from 'node:net';

/**
 * One environment variable: its name, its default (as the string an operator would write) and a parser that
 * returns the typed value or throws `InvalidValue` with a message that names what is wrong.
 *
 * Hand-written rather than class-validator: every value here is a string with a unit or a list syntax (URL
 * lists, CIDR lists, durations), each needing a custom parser anyway, and the messages must be exact.
 */
export interface EnvVar<T> {
  readonly name: string;
  readonly defaultValue: string | undefined;
  readonly description: string;
  /** Values that may hold credentials are never echoed in messages. */
  readonly secret?: boolean;
  /**
   * The default points at the local demo estate (the dev identity provider, the demo upstreams on 127.0.0.1): with
   * NODE_ENV=production, a start on that default is warned about (see `demoDefaultsInEffect`).
   */
  readonly demoDefault?: boolean;
  parse(raw: string): T;
}

export class InvalidValue extends Error {}

/** `variable`, its default marked as the local demo estate's (see {@link EnvVar.demoDefault}). */
export function withDemoDefault<T>(variable: EnvVar<T>): EnvVar<T> {
  return { ...variable, demoDefault: true };
}

type Parser<T> = (raw: string) => T;

function envVar<T>(name: string, defaultValue: string | undefined, description: string, parse: Parser<T>, secret = false): EnvVar<T> {
  return { name, defaultValue, description, parse, secret };
}

export function integer(name: string, defaultValue: string, description: string, min: number, max: number): EnvVar<number> {
  return envVar(name, defaultValue, description, (raw) => {
    if (!/^\d+$/.test(raw.trim())) throw new InvalidValue(`must be an integer from ${min} to ${max}`);
    const value = Number(raw.trim());
    if (value < min || value > max) throw new InvalidValue(`must be an integer from ${min} to ${max}`);
    return value;
  });
}

export function port(name: string, defaultValue: string, description: string): EnvVar<number> {
  const inner = integer(name, defaultValue, description, 0, 65535);
  return { ...inner, parse: (raw) => wrapMessage(() => inner.parse(raw), 'must be a TCP port number from 0 to 65535') };
}

/** A duration in milliseconds, written as a plain integer. */
export function milliseconds(name: string, defaultValue: string, description: string, min = 1, max = 3_600_000): EnvVar<number> {
  const inner = integer(name, defaultValue, description, min, max);
  return { ...inner, parse: (raw) => wrapMessage(() => inner.parse(raw), `must be a duration in milliseconds from ${min} to ${max}`) };
}

export function oneOf<T extends string>(name: string, defaultValue: T, description: string, values: readonly T[]): EnvVar<T> {
  return envVar(name, defaultValue, description, (raw) => {
    const value = raw.trim() as T;
    if (!values.includes(value)) throw new InvalidValue(`must be one of ${values.join(', ')}`);
    return value;
  });
}

/** A DNS label (RFC 1123): letters, digits and inner hyphens, 1 to 63 characters. */
const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
/** A label that resolvers (inet_aton) and URL parsers (WHATWG "ends in a number") read as a number. */
const NUMERIC_LABEL = /^(?:\d+|0x[0-9a-f]*)$/i;

/**
 * A host name: dot-separated labels, at most 253 characters, an optional final dot. A name whose last label is a
 * number is an IPv4 address to resolvers, in any of inet_aton's forms (`127.1`, `0x7f.1`, `010.0.0.1`): only the
 * four-decimal form checked by `isIP` is taken, so `999.1.1.1` is refused here rather than failing the listen.
 */
function isHostName(value: string): boolean {
  const labels = (value.endsWith('.') ? value.slice(0, -1) : value).split('.');
  return (
    value.length <= 253 &&
    labels.every((label) => HOST_LABEL.test(label)) &&
    !NUMERIC_LABEL.test(labels[labels.length - 1] as string)
  );
}

export function host(name: string, defaultValue: string, description: string): EnvVar<string> {
  return envVar(name, defaultValue, description, (raw) => {
    const value = raw.trim();
    if (isIP(value) || isHostName(value)) return value;
    throw new InvalidValue('must be an IP address or a host name');
  });
}

function parseHttpUrl(raw: string, allowed: readonly string[], what: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new InvalidValue(`must be ${what}`);
  }
  if (!allowed.includes(url.protocol) || !url.hostname) throw new InvalidValue(`must be ${what}`);
  return url;
}

/** A comma-separated list of http(s) base URLs (several = load-balanced instances). No query, no fragment. */
export function urlList(name: string, defaultValue: string, description: string): EnvVar<readonly URL[]> {
  const what = 'a comma-separated list of http:// or https:// base URLs without query or fragment';
  return envVar(name, defaultValue, description, (raw) => {
    const parts = raw.split(',').map((p) => p.trim());
    if (parts.some((p) => p === '')) throw new InvalidValue(`must be ${what}`);
    return Object.freeze(
      parts.map((part) => {
        const url = parseHttpUrl(part, ['http:', 'https:'], what);
        if (url.search || url.hash || url.username || url.password) throw new InvalidValue(`must be ${what}`);
        return url;
      }),
    );
  });
}

/** An absolute path (and optional query) of visible ASCII: `/health`, `/actuator/health?probe=1`. No fragment. */
export function urlPath(name: string, defaultValue: string, description: string): EnvVar<string> {
  return envVar(name, defaultValue, description, (raw) => {
    const value = raw.trim();
    if (!/^\/[!-~]{0,254}$/.test(value) || value.includes('#') || value.startsWith('//')) {
      throw new InvalidValue('must be a path starting with / (visible ASCII, at most 255 characters, no #)');
    }
    return value;
  });
}

/** An http(s) URL without credentials in it (fetch refuses them, and a config value is no place for a password). */
export function url(name: string, defaultValue: string | undefined, description: string): EnvVar<URL> {
  return envVar(name, defaultValue, description, (raw) => {
    const parsed = parseHttpUrl(raw, ['http:', 'https:'], 'an http:// or https:// URL');
    if (parsed.username || parsed.password) throw new InvalidValue('must be an http:// or https:// URL without user or password');
    return parsed;
  });
}

export function redisUrl(name: string, description: string): EnvVar<URL | undefined> {
  return envVar(
    name,
    undefined,
    description,
    (raw) => (raw.trim() === '' ? undefined : parseHttpUrl(raw, ['redis:', 'rediss:'], 'a redis:// or rediss:// URL')),
    true,
  );
}

export function text(name: string, defaultValue: string, description: string): EnvVar<string> {
  return envVar(name, defaultValue, description, (raw) => {
    const value = raw.trim();
    if (!value || value.length > 512) throw new InvalidValue('must be a non-empty string of at most 512 characters');
    return value;
  });
}

/**
 * An optional secret (a key, never echoed in messages): unset is `undefined`; set, it must be at least `minLength`
 * characters of printable ASCII without spaces, so a truncated or placeholder value is caught at start.
 */
export function optionalSecret(name: string, description: string, minLength: number): EnvVar<string | undefined> {
  return envVar(
    name,
    undefined,
    description,
    (raw) => {
      if (raw.length < minLength || raw.length > 1024 || !/^[\x21-\x7e]+$/.test(raw)) {
        throw new InvalidValue(`must be ${minLength} to 1024 printable ASCII characters without spaces`);
      }
      return raw;
    },
    true,
  );
}

/** A CIDR block in parsed form: `net.BlockList` takes it as is. */
export interface Cidr {
  readonly address: string;
  readonly prefix: number;
  readonly family: 'ipv4' | 'ipv6';
}

function parseCidr(raw: string): Cidr {
  const [address, prefixText, extra] = raw.trim().split('/');
  const family = isIP(address ?? '');
  if (!family || extra !== undefined) throw new InvalidValue('must be a comma-separated list of CIDR blocks (e.g. 10.0.0.0/8, ::1/128)');
  const max = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d+$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= max)) throw new InvalidValue('must be a comma-separated list of CIDR blocks (e.g. 10.0.0.0/8, ::1/128)');
  return { address: address as string, prefix, family: family === 4 ? 'ipv4' : 'ipv6' };
}

export function cidrList(name: string, description: string): EnvVar<readonly Cidr[]> {
  return envVar(name, '', description, (raw) =>
    Object.freeze(raw.split(',').map((p) => p.trim()).filter((p) => p !== '').map(parseCidr)),
  );
}

/** Comma-separated web origins (`scheme://host[:port]`, no path). */
export function originList(name: string, defaultValue: string, description: string): EnvVar<readonly string[]> {
  const what = 'a comma-separated list of origins like https://app.example.com (scheme, host and optional port only)';
  return envVar(name, defaultValue, description, (raw) =>
    Object.freeze(
      raw.split(',').map((p) => p.trim()).filter((p) => p !== '').map((part) => {
        const parsed = parseHttpUrl(part, ['http:', 'https:'], what);
        if (parsed.origin !== part.replace(/\/$/, '')) throw new InvalidValue(`must be ${what}`);
        return parsed.origin;
      }),
    ),
  );
}

function wrapMessage<T>(fn: () => T, message: string): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof InvalidValue) throw new InvalidValue(message);
    throw error;
  }
}

/** A usage plan's limits: requests per second and per (UTC) day. */
export interface PlanLimits {
  readonly perSecond: number;
  readonly perDay: number;
}

/** `name:perSecond:perDay` entries, comma-separated, e.g. `free:5:10000,gold:50:1000000`. */
export function planList(name: string, defaultValue: string, description: string): EnvVar<Readonly<Record<string, PlanLimits>>> {
  const what = 'a comma-separated list of plan:requestsPerSecond:requestsPerDay (e.g. free:5:10000,gold:50:1000000)';
  return envVar(name, defaultValue, description, (raw) => {
    const plans: Record<string, PlanLimits> = {};
    for (const entry of raw.split(',').map((p) => p.trim())) {
      const match = /^([a-z][a-z0-9-]{0,31}):(\d{1,6}):(\d{1,10})$/.exec(entry);
      if (!match || Number(match[2]) < 1 || Number(match[3]) < 1 || match[1] === '__proto__') throw new InvalidValue(`must be ${what}`);
      plans[match[1] as string] = Object.freeze({ perSecond: Number(match[2]), perDay: Number(match[3]) });
    }
    return Object.freeze(plans);
  });
}

/**
 * A file path (relative paths are relative to the working directory), checked for syntax only: the lib that reads
 * the file reports a missing or malformed one at start, naming the variable.
 */
export function filePath(name: string, defaultValue: string, description: string): EnvVar<string> {
  return envVar(name, defaultValue, description, parseFilePath);
}

/** Like {@link filePath}, without default: unset is `undefined`. */
export function optionalFilePath(name: string, description: string): EnvVar<string | undefined> {
  return envVar(name, undefined, description, parseFilePath);
}

function parseFilePath(raw: string): string {
  const value = raw.trim();
  // eslint-disable-next-line no-control-regex
  if (!value || value.length > 4096 || /[\u0000-\u001f]/.test(value)) throw new InvalidValue('must be a file path');
  return value;
}

/** An http(s) URL that may be left unset (the feature is then off). */
export function optionalUrl(name: string, description: string): EnvVar<URL | undefined> {
  return envVar(name, undefined, description, (raw) => (raw.trim() === '' ? undefined : parseHttpUrl(raw, ['http:', 'https:'], 'an http:// or https:// URL')));
}
