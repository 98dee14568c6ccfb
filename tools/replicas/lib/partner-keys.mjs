// The demo partners' published API keys seeded into the Redis key store partner-bff reads with REDIS_URL — at start
// and again after every Redis restart (Redis runs without persistence here, so a restart empties the store). Uses
// libs/auth's key-admin module, loaded the way tools/keys/keys.mjs loads it (TypeScript through @swc-node/register),
// so the store format has one implementation; loaded once, so a re-seed takes milliseconds, not a compile.
import { createRequire } from 'node:module';
import { join } from 'node:path';

let admin;

function keyAdmin(root) {
  if (!admin) {
    process.env.SWC_NODE_PROJECT ??= join(root, 'tsconfig.base.json');
    const require = createRequire(import.meta.url);
    require('@swc-node/register');
    admin = require(join(root, 'libs/auth/src/api-keys/key-admin.ts'));
  }
  return admin;
}

/** Imports every demo partner's key (idempotent: a key already there is left alone). @throws Error when Redis is not reachable */
export async function seedPartnerKeys(root, redisPort, partners) {
  const { openKeyStore, createKey } = keyAdmin(root);
  const opened = await openKeyStore({ partnerKeysFile: '/nonexistent', redisUrl: new URL(`redis://127.0.0.1:${redisPort}`) }, 3000);
  try {
    for (const { partnerId, plan, apiKey } of partners) await createKey(opened.store, { partnerId, plan, key: apiKey });
  } finally {
    await opened.close();
  }
}
