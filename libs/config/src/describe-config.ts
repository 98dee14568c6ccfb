import type { EnvVar } from './env-var';
import { rawValueOf, shownValue, type EnvSource, type Schema } from './load-config';

/** Where a variable's value came from. An empty string counts as unset and takes the default, as in `loadConfig`. */
export type ConfigOrigin = 'env' | 'default' | 'empty → default';

/** One variable as the start-up `configuration` log line shows it. */
export interface ConfiguredValue {
  /**
   * The value in effect as an operator would write it: URL user-info masked (`scheme://***@host`) and cut past
   * {@link CONFIG_LINE_CHARS} characters; a secret is `***`; no value at all (unset, no default) `unset`.
   */
  readonly value: string;
  readonly from: ConfigOrigin;
}

/** What an app says about its configuration at start (`runBff` logs it). */
export interface ConfigReport {
  /** Every variable of the schema by name, in schema order: see {@link describeConfig}. */
  readonly configuration: Readonly<Record<string, ConfiguredValue>>;
  /** See {@link demoDefaultsInEffect}. */
  readonly demoDefaults: readonly string[];
  /** See {@link plainHttpKeySources}. */
  readonly plainHttpKeySources: readonly string[];
}

function originOf(given: string | undefined): ConfigOrigin {
  if (given === undefined) return 'default';
  return given === '' ? 'empty → default' : 'env';
}

/**
 * The longest value the configuration line shows whole: room for a list of upstream instances or CORS origins (eight
 * URLs of 60 characters), which an operator checks there; a longer value is cut, so that one line stays bounded.
 */
export const CONFIG_LINE_CHARS = 512;

function valueOf(variable: EnvVar<unknown>, source: EnvSource): string {
  const raw = rawValueOf(variable, source);
  if (raw === undefined) return 'unset';
  return variable.secret ? '***' : shownValue(raw, CONFIG_LINE_CHARS);
}

/**
 * Every variable of `schema` with the value in effect and where it came from, for one log line at start. Never a
 * secret's value nor a URL's user-info. Pure: `source` is the environment (`process.env` at start).
 */
export function describeConfig(schema: Schema, source: EnvSource): Readonly<Record<string, ConfiguredValue>> {
  const described: Record<string, ConfiguredValue> = {};
  for (const variable of Object.values(schema)) {
    const given = source[variable.name];
    described[variable.name] = { value: valueOf(variable, source), from: originOf(given) };
  }
  return described;
}

/**
 * With NODE_ENV=production, the variables marked `demoDefault` left unset or empty — their default points at the
 * local demo estate — in schema order; otherwise none (the demo and the tests run on those defaults on purpose).
 */
export function demoDefaultsInEffect(schema: Schema, source: EnvSource): readonly string[] {
  if (source['NODE_ENV'] !== 'production') return [];
  const names = Object.values(schema)
    .filter((variable) => variable.demoDefault === true && originOf(source[variable.name]) !== 'env')
    .map((variable) => variable.name);
  return [...new Set(names)];
}

/** Where a key may be fetched over plain http: this machine (127.0.0.0/8, ::1, `localhost`). */
function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host === '[::1]') return true;
  const octets = host.split('.');
  return (
    octets.length === 4 && octets[0] === '127' && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255)
  );
}

/** The variables whose keys verify tokens; a key fetched over plain http can be replaced by whoever is on the way. */
const KEY_SOURCES = ['JWT_JWKS_URL'] as const;

/**
 * With NODE_ENV=production, the variables of {@link KEY_SOURCES} set (or defaulted) to an `http://` URL of a host other
 * than this machine: whoever can tamper with that fetch can publish a key of their own and sign any token with it.
 * Otherwise none. Not a refusal: an in-cluster http address may be meant (a service mesh encrypting the hop).
 */
export function plainHttpKeySources(schema: Schema, source: EnvSource): readonly string[] {
  if (source['NODE_ENV'] !== 'production') return [];
  return Object.values(schema)
    .filter((variable) => (KEY_SOURCES as readonly string[]).includes(variable.name))
    .filter((variable) => {
      // as `loadConfig` reads it: an empty value takes the default, surrounding blanks are ignored
      const raw = rawValueOf(variable, source)?.trim();
      const parsed = raw === undefined || !URL.canParse(raw) ? undefined : new URL(raw);
      return parsed?.protocol === 'http:' && !isLoopback(parsed.hostname);
    })
    .map((variable) => variable.name);
}

/**
 * {@link describeConfig}, {@link demoDefaultsInEffect} and {@link plainHttpKeySources} of `source`, the process's
 * environment by default.
 */
export function configReportOf(schema: Schema, source: EnvSource = process.env): ConfigReport {
  return {
    configuration: describeConfig(schema, source),
    demoDefaults: demoDefaultsInEffect(schema, source),
    plainHttpKeySources: plainHttpKeySources(schema, source),
  };
}
