import {
  ConfigError,
  bffSchema,
  demoDefaultsInEffect,
  loadConfig,
  type AppName,
  type ConfigOf,
} from '@frontdoor/config';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The repository root. */
export const ROOT = join(__dirname, '../..');

export const BFFS = ['web-bff', 'mobile-bff', 'partner-bff'] as const satisfies readonly AppName[];

export function readRepoFile(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

/** Every YAML document of a file, as plain data. Merge keys (`<<`) are resolved, as Docker Compose does. */
export function yamlDocuments(path: string): unknown[] {
  return parseAllDocuments(readRepoFile(path), { merge: true }).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return doc.toJS() as unknown;
  });
}

/** Repository-relative paths of the `.yaml`/`.yml` files under `dir`, sorted. */
export function yamlFilesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)))
    .sort();
}

/** The environment variable names an app reads: its config schema (`libs/config`), nothing else. */
export function knownEnvNames(app: AppName): ReadonlySet<string> {
  return new Set(Object.values(bffSchema(app)).map((v) => v.name));
}

/** Validates an environment the way the app does at start; throws ConfigError naming every bad variable. */
export function checkConfig(app: AppName, env: Readonly<Record<string, string>>): void {
  loadConfig(bffSchema(app), env);
}

/**
 * The variables `env` leaves on the local demo estate's defaults (upstream URLs, JWKS URL, issuer, audience), as the
 * app names them in its start-up warning: the images run NODE_ENV=production, so every deployment would log it.
 */
export function demoDefaultsOf(app: AppName, env: Readonly<Record<string, string>>): readonly string[] {
  return demoDefaultsInEffect(bffSchema(app), { ...env, NODE_ENV: 'production' });
}

/** What an app runs with in `env` (defaults applied, values parsed), or undefined when it would refuse `env`. */
export function appConfig(
  app: AppName,
  env: Readonly<Record<string, string>>,
): ConfigOf<ReturnType<typeof bffSchema>> | undefined {
  try {
    return loadConfig(bffSchema(app), env);
  } catch (error) {
    if (error instanceof ConfigError) return undefined;
    throw error;
  }
}

/** The health routes the apps really serve, read from the observability lib's controller. */
export function healthRoutes(): string[] {
  const source = readRepoFile('libs/observability/src/health.controller.ts');
  return [...source.matchAll(/@Get\('(health\/[a-z]+)'\)/g)].map((m) => `/${m[1]}`);
}
