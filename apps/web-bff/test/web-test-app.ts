import type { ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';
import { loadConfig } from '@frontdoor/config';
import { estateEnv, startDemoEstate, type DemoEstate } from '@frontdoor/demo-estate';
import type { BffApp } from '@frontdoor/platform';
import { freePort, spawnTypeScript, startTestIdp, type TestIdp } from '@frontdoor/testing';
import { createWebBff } from '../src/app/create-web-bff';
import { webSchema } from '../src/app/web.config';

/** A web-bff on 127.0.0.1 (ephemeral port) in front of a demo estate that trusts it (unless told not to). */
export interface WebTestApp {
  readonly estate: DemoEstate;
  readonly app: BffApp;
  readonly base: string;
  /** `Bearer <token>` for a demo-IdP user. */
  bearer(sub: string, roles: string[]): Promise<string>;
  /** Closes the app, then the estate when this fixture started it. */
  close(): Promise<void>;
}

export interface WebTestAppOptions {
  /** Variables over the estate's URLs (deadlines, limits, stub upstreams replacing estate services, `LOG_LEVEL`). */
  readonly env?: Record<string, string>;
  /** An estate of the spec's own (several instances on one estate): used, trusted, but never stopped here. */
  readonly estate?: DemoEstate;
  /** Where the app logs (a `captureLogs()` stream); default stdout. */
  readonly logs?: Writable;
  /** `false`: the estate's services are not told to trust this BFF (they keep answering anyone). Default `true`. */
  readonly trusted?: boolean;
}

/**
 * Starts the demo estate (or takes `options.estate`), then web-bff on it with `options.env`, and makes the estate's
 * services accept only identity tokens this BFF (and those already trusted) signed.
 */
export async function startWebTestApp(options: WebTestAppOptions = {}): Promise<WebTestApp> {
  const estate = options.estate ?? (await startDemoEstate());
  const { app, base } = await listenWebBff({ ...estateEnv(estate), ...options.env }, options.logs);
  if (options.trusted !== false) estate.trustGateways([`${base}/.well-known/jwks.json`]);
  return {
    estate,
    app,
    base,
    bearer: async (sub, roles) => `Bearer ${await estate.issueToken({ sub, roles })}`,
    close: async () => {
      await app.nest.close();
      if (options.estate === undefined) await estate.stop();
    },
  };
}

/** A web-bff on 127.0.0.1 (ephemeral port) verifying tokens of a test IdP; its upstreams are the spec's. */
export interface WebIdpTestApp {
  readonly idp: TestIdp;
  readonly app: BffApp;
  readonly base: string;
  /** `Bearer <token>` signed by the test IdP (its published RSA key). */
  bearer(sub: string, roles: string[]): Promise<string>;
  /** Closes the app, then the IdP (the spec's own stubs and Redis stay the spec's to close). */
  close(): Promise<void>;
}

export interface WebIdpTestAppOptions {
  /** Variables over the IdP's `JWT_*` ones: the upstream URLs (stubs), cooldowns, `REDIS_URL`, `LOG_LEVEL`. */
  readonly env?: Record<string, string>;
  /** Where the app fetches its JWKS instead of the IdP's own URL (a failing stub, a closed port). */
  readonly jwksUrl?: string;
  /** Where the app logs (a `captureLogs()` stream); default stdout. */
  readonly logs?: Writable;
}

/** Starts a test IdP, then web-bff trusting its issuer, audience and JWKS (or `options.jwksUrl`), with `options.env`. */
export async function startWebIdpTestApp(options: WebIdpTestAppOptions = {}): Promise<WebIdpTestApp> {
  const idp = await startTestIdp();
  const env = {
    JWT_JWKS_URL: options.jwksUrl ?? idp.jwksUrl,
    JWT_ISSUER: idp.issuer,
    JWT_AUDIENCE: idp.audience,
  };
  const { app, base } = await listenWebBff({ ...env, ...options.env }, options.logs);
  return {
    idp,
    app,
    base,
    bearer: async (sub, roles) => `Bearer ${await idp.sign(idp.claims({ sub, roles }))}`,
    close: async () => {
      await app.nest.close();
      await idp.close();
    },
  };
}

/** Builds web-bff from `env` (checked against its schema) and starts it on 127.0.0.1, on an ephemeral port. */
async function listenWebBff(
  env: Record<string, string>,
  logs?: Writable,
): Promise<{ app: BffApp; base: string }> {
  const app = await createWebBff(loadConfig(webSchema, env), logs);
  await app.nest.listen(0, '127.0.0.1');
  return { app, base: await app.nest.getUrl() };
}

/** web-bff running as a real process from its sources: the child, its port, and everything it has written so far. */
export interface WebBffProcess {
  readonly child: ChildProcess;
  readonly port: number;
  output(): string;
}

/**
 * Starts `apps/web-bff/src/main.ts` (through the SWC loader) on a free port of 127.0.0.1 with `env` (PATH, the loader's
 * tsconfig and PORT added), collects its stdout and stderr, and polls `isLive(port)` every 250 ms for up to 60 s.
 * @throws Error with the process's output when it exits before it is live
 */
export async function startWebBffProcess(
  env: Record<string, string>,
  isLive: (port: number) => Promise<boolean>,
): Promise<WebBffProcess> {
  const port = await freePort();
  const child = spawnTypeScript(['apps/web-bff/src/main.ts'], { ...env, PORT: String(port) });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  for (let i = 0; i < 240 && !(await isLive(port)); i++) {
    if (child.exitCode !== null) throw new Error(`web-bff exited early:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { child, port, output: () => output };
}
