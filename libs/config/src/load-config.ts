import { InvalidValue, type EnvVar } from './env-var';

export type Schema = Readonly<Record<string, EnvVar<unknown>>>;
export type ConfigOf<S extends Schema> = { readonly [K in keyof S]: S[K] extends EnvVar<infer T> ? T : never };
export type EnvSource = Readonly<Record<string, string | undefined>>;

/** Every bad variable at once, so an operator fixes them in one go. The message is the whole report. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The user-info of every URL in a value (`scheme://user:password@`): never echoed, whatever the variable. */
const USERINFO = /([a-z][a-z0-9+.-]*:\/\/)[^@/?#\s,]*@/gi;

/**
 * A value as messages and the start-up `configuration` line show it: URL user-info masked, cut past `maxChars`
 * (60 in messages, which echo a value refused; the configuration line allows more, see `describeConfig`).
 */
export function shownValue(raw: string, maxChars = 60): string {
  const masked = raw.replace(USERINFO, '$1***@');
  return masked.length > maxChars ? `${masked.slice(0, maxChars - 3)}...` : masked;
}

function echo(raw: string): string {
  return ` (got ${JSON.stringify(shownValue(raw))})`;
}

/**
 * One line of a {@link ConfigError} report, worded as `loadConfig` words its own: `NAME must be ... (got "value")`.
 * For the checks that can only be made by trying a value at start (a file's contents, a listen address): the value
 * (a path, an address) is echoed as `loadConfig` echoes it, never what a file holds.
 */
export function configProblem(name: string, problem: string, value?: string): string {
  return `${name} ${problem}${value === undefined ? '' : echo(value)}`;
}

/** The raw value `variable` takes in `source`: the one given, or its default when unset or empty (none: undefined). */
export function rawValueOf(variable: EnvVar<unknown>, source: EnvSource): string | undefined {
  const given = source[variable.name];
  return given === undefined || given === '' ? variable.defaultValue : given;
}

/**
 * Validates `source` against `schema` once, returning a frozen typed config. Unset variables take their
 * default; an empty string counts as unset.
 * @throws ConfigError naming every bad variable
 */
export function loadConfig<S extends Schema>(schema: S, source: EnvSource): ConfigOf<S> {
  const problems: string[] = [];
  const config: Record<string, unknown> = {};
  for (const [key, variable] of Object.entries(schema)) {
    const given = source[variable.name];
    const raw = rawValueOf(variable, source);
    if (raw === undefined) {
      config[key] = undefined;
      continue;
    }
    try {
      config[key] = variable.parse(raw);
    } catch (error) {
      if (!(error instanceof InvalidValue)) throw error;
      const shown = given === undefined ? ' (its default)' : variable.secret ? '' : echo(raw);
      problems.push(`${variable.name} ${error.message}${shown}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config) as ConfigOf<S>;
}

/**
 * The entry point of every app: validates `process.env` once at start; on failure prints one message naming every
 * bad variable to stderr and exits with code 78 (EX_CONFIG) — no stack trace, no half-started gateway.
 */
export function loadConfigOrExit<S extends Schema>(schema: S, source: EnvSource = process.env): ConfigOf<S> {
  try {
    return loadConfig(schema, source);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
}
