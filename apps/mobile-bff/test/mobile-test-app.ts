import { request } from 'node:http';
import { loadConfig } from '@frontdoor/config';
import { estateEnv, startDemoEstate, type DemoEstate } from '@frontdoor/demo-estate';
import type { BffApp } from '@frontdoor/platform';
import { startTestIdp, type TestIdp } from '@frontdoor/testing';
import { createMobileBff } from '../src/app/create-mobile-bff';
import { mobileSchema } from '../src/app/mobile.config';

/** A mobile-bff on 127.0.0.1 (ephemeral port) in front of a demo estate that trusts it (unless told not to). */
export interface MobileTestApp {
  readonly estate: DemoEstate;
  readonly app: BffApp;
  readonly base: string;
  /** `Bearer <token>` for a demo-IdP user. */
  bearer(sub: string, roles: string[]): Promise<string>;
  /** Closes the app, then the estate when this fixture started it. */
  close(): Promise<void>;
}

export interface MobileTestAppOptions {
  /** Variables over the estate's URLs and `ROUTE_DEADLINE_MS: '800'`. */
  readonly env?: Record<string, string>;
  /** An estate of the spec's own (several replicas on one estate): used, trusted, but never stopped here. */
  readonly estate?: DemoEstate;
  /** Runs first, while the estate's services still answer anyone (to read an upstream as it is). */
  readonly beforeStart?: (estate: DemoEstate) => Promise<void>;
}

/**
 * Starts the demo estate (or takes `options.estate`), runs `options.beforeStart`, then mobile-bff on it with `ROUTE_DEADLINE_MS: '800'` and
 * `options.env`, and makes the estate's services accept only identity tokens this BFF (and those already trusted) signed.
 */
export async function startMobileTestApp(options: MobileTestAppOptions = {}): Promise<MobileTestApp> {
  const estate = options.estate ?? (await startDemoEstate());
  await options.beforeStart?.(estate);
  const { app, base } = await listenMobileBff({
    ...estateEnv(estate),
    ROUTE_DEADLINE_MS: '800',
    ...options.env,
  });
  estate.trustGateways([`${base}/.well-known/jwks.json`]);
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

/** A mobile-bff on 127.0.0.1 (ephemeral port) verifying tokens of a test IdP; its upstreams are the spec's. */
export interface MobileIdpTestApp {
  readonly idp: TestIdp;
  readonly app: BffApp;
  readonly base: string;
  /** `Bearer <token>` signed by the test IdP (its published RSA key). */
  bearer(sub: string, roles: string[]): Promise<string>;
  /** Closes the app, then the IdP (the spec's own stubs stay the spec's to close). */
  close(): Promise<void>;
}

export interface MobileIdpTestAppOptions {
  /** Variables over the IdP's `JWT_*` ones: the upstream URLs (stubs), cooldowns, `LOG_LEVEL`. */
  readonly env?: Record<string, string>;
  /** Where the app fetches its JWKS instead of the IdP's own URL (a closed port, a failing stub). */
  readonly jwksUrl?: string;
}

/** Starts a test IdP, then mobile-bff trusting its issuer, audience and JWKS (or `options.jwksUrl`), with `options.env`. */
export async function startMobileIdpTestApp(
  options: MobileIdpTestAppOptions = {},
): Promise<MobileIdpTestApp> {
  const idp = await startTestIdp();
  const { app, base } = await listenMobileBff({
    JWT_JWKS_URL: options.jwksUrl ?? idp.jwksUrl,
    JWT_ISSUER: idp.issuer,
    JWT_AUDIENCE: idp.audience,
    ...options.env,
  });
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

/** Builds mobile-bff from `env` (checked against its schema) and starts it on 127.0.0.1, on an ephemeral port. */
async function listenMobileBff(env: Record<string, string>): Promise<{ app: BffApp; base: string }> {
  const app = await createMobileBff(loadConfig(mobileSchema, env));
  await app.nest.listen(0, '127.0.0.1');
  return { app, base: await app.nest.getUrl() };
}

/** An answer as it came over the wire. */
export interface WireAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The bytes on the wire (compressed when the answer is). */
  readonly body: Buffer;
}

/**
 * A request that shows the answer exactly as sent: no Accept-Encoding unless given, no transparent decompression, no
 * cache or keep-alive of its own; fails after 10 s.
 */
export function sendRaw(
  method: string,
  url: string,
  headers: Record<string, string> = {},
): Promise<WireAnswer> {
  const { hostname, port, pathname, search } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { method, host: hostname, port, path: pathname + search, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject).end();
  });
}
