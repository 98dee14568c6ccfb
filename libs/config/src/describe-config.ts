import type { EnvVar } from './env-var';
import { shownValue, type EnvSource, type Schema } from './load-config';

/** Where a variable's value came from. An empty string counts as unset and takes the default, as in `loadConfig`. */
export type ConfigOrigin = 'env' | 'default' | 'empty → default';

/** One variable as the start-up `configuration` log line shows it. */
export interface ConfiguredValue {
  /**
   * The value in effect as an operator would write it: URL user-info masked (`scheme://***@host`) and cut past 60
   * characters, as `loadConfig`'s messages echo values; a secret is `***`; no value at all (unset, no default) `unset`.
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
}

function originOf(given: string | undefined): ConfigOrigin {
  if (given === undefined) return 'default';
  return given === '' ? 'empty → default' : 'env';
}

function valueOf(variable: EnvVar<unknown>, given: string | undefined): string {
  const raw = given === undefined || given === '' ? variable.defaultValue : given;
  if (raw === undefined) return 'unset';
  return variable.secret ? '***' : shownValue(raw);
}

/**
 * Every variable of `schema` with the value in effect and where it came from, for one log line at start. Never a
 * secret's value nor a URL's user-info. Pure: `source` is the environment (`process.env` at start).
 */
export function describeConfig(schema: Schema, source: EnvSource): Readonly<Record<string, ConfiguredValue>> {
  const described: Record<string, ConfiguredValue> = {};
  for (const variable of Object.values(schema)) {
    const given = source[variable.name];
    described[variable.name] = { value: valueOf(variable, given), from: originOf(given) };
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
    .filter((variable) => variable.demoDefault === true && !source[variable.name])
    .map((variable) => variable.name);
  return [...new Set(names)];
}

/** {@link describeConfig} and {@link demoDefaultsInEffect} of `source`, the process's environment by default. */
export function configReportOf(schema: Schema, source: EnvSource = process.env): ConfigReport {
  return {
    configuration: describeConfig(schema, source),
    demoDefaults: demoDefaultsInEffect(schema, source),
  };
}
