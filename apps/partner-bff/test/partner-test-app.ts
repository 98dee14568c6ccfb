import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileApiKeyStore, createKey } from '@frontdoor/auth';
import { loadConfig } from '@frontdoor/config';
import { DEMO_PARTNERS, estateEnv, startDemoEstate, type DemoEstate } from '@frontdoor/demo-estate';
import type { BffApp } from '@frontdoor/platform';
import { createPartnerBff } from '../src/app/create-partner-bff';
import { partnerSchema } from '../src/app/partner.config';

export type DemoPartnerId = 'acme' | 'globex';

/** A demo partner's known API key (DEMO_PARTNERS: acme on gold, globex on free). */
export function keyOf(partner: DemoPartnerId): string {
  return DEMO_PARTNERS.find((p) => p.partnerId === partner)?.apiKey as string;
}

/** A partner-bff on 127.0.0.1 (ephemeral port) in front of its own demo estate, which trusts only this gateway. */
export interface PartnerTestApp {
  readonly estate: DemoEstate;
  readonly app: BffApp;
  readonly base: string;
  /** `fetch` as this partner (its key in X-API-Key), JSON unless the headers say otherwise. */
  as(partner: DemoPartnerId, path: string, init?: RequestInit & { headers?: Record<string, string> }): Promise<Response>;
  close(): Promise<void>;
}

/**
 * Starts the estate, writes the demo partners' keys (hashed) to a key file of this test's own, starts the BFF and
 * makes the estate's services accept only identity tokens this BFF signed.
 */
export async function startPartnerTestApp(env: Record<string, string> = {}): Promise<PartnerTestApp> {
  const estate = await startDemoEstate();
  const keysDir = mkdtempSync(join(tmpdir(), 'frontdoor-partner-'));
  const keysFile = join(keysDir, 'partner-keys.json');
  const store = new FileApiKeyStore({ path: keysFile });
  for (const { partnerId, plan, apiKey } of DEMO_PARTNERS) await createKey(store, { partnerId, plan, key: apiKey });
  const app = await createPartnerBff(loadConfig(partnerSchema, { ...estateEnv(estate), PARTNER_KEYS_FILE: keysFile, ...env }));
  await app.nest.listen(0, '127.0.0.1');
  const base = await app.nest.getUrl();
  estate.trustGateways([`${base}/.well-known/jwks.json`]);
  return {
    estate,
    app,
    base,
    as: (partner, path, init = {}) => fetch(base + path, { ...init, headers: { 'x-api-key': keyOf(partner), ...init.headers } }),
    close: async () => {
      await app.nest.close();
      await estate.stop();
      rmSync(keysDir, { recursive: true, force: true });
    },
  };
}

/** The BFF built but not listening, with no estate: enough to generate its OpenAPI documents. */
export async function createIdlePartnerBff(): Promise<{ app: BffApp; close(): Promise<void> }> {
  const keysDir = mkdtempSync(join(tmpdir(), 'frontdoor-partner-idle-'));
  const app = await createPartnerBff(loadConfig(partnerSchema, { PARTNER_KEYS_FILE: join(keysDir, 'partner-keys.json') }));
  return {
    app,
    close: async () => {
      await app.nest.close();
      rmSync(keysDir, { recursive: true, force: true });
    },
  };
}
