#!/usr/bin/env node
// `npm run keys -- <command>`: create, list and revoke partner API keys in the store partner-bff uses — the JSON
// file PARTNER_KEYS_FILE (default var/partner-keys.json), or Redis when REDIS_URL is set.
//
// One implementation of the store formats: this script loads the TypeScript of libs/auth (key-admin.ts and the
// stores) and libs/config through @swc-node/register (compiled on the fly, @frontdoor/* aliases resolved from
// tsconfig.base.json) rather than a built bundle, so there is no build step and no second copy to drift.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const USAGE = `usage:
  npm run keys -- create --partner <id> --plan <plan> [--key <value>]   prints a new key once (--key imports a known one)
  npm run keys -- list                                                  keys: id, partner, plan, prefix, created, revoked
  npm run keys -- revoke <keyId>
store: PARTNER_KEYS_FILE (default var/partner-keys.json), or Redis when REDIS_URL is set`;

function usage(message) {
  if (message) console.error(`keys: ${message}`);
  console.error(USAGE);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    strict: true,
    options: { partner: { type: 'string' }, plan: { type: 'string' }, key: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
} catch (error) {
  usage(error.message);
}
const { values, positionals } = parsed;
const [command, ...rest] = positionals;
if (values.help || !command) usage();
// arguments are checked before the store code is loaded (compiling it takes a moment)
if (!['create', 'list', 'revoke'].includes(command)) usage(`unknown command ${command}`);
if (command === 'create' && (!values.partner || !values.plan)) usage('create needs --partner and --plan');
if (command === 'revoke' && rest.length !== 1) usage('revoke needs exactly one key id');
if (command !== 'revoke' && rest.length > 0) usage(`unexpected argument ${rest[0]}`);

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
process.env.SWC_NODE_PROJECT ??= join(root, 'tsconfig.base.json');
const require = createRequire(import.meta.url);
require('@swc-node/register');
const { loadConfigOrExit, partnerKeysSchema, storeSchema } = require(join(root, 'libs/config/src/index.ts'));
const admin = require(join(root, 'libs/auth/src/api-keys/key-admin.ts'));

const config = loadConfigOrExit({ ...partnerKeysSchema, ...storeSchema }); // a bad variable: one message, exit 78

function table(rows) {
  const header = ['id', 'partner', 'plan', 'prefix', 'created', 'revoked'];
  const cells = rows.map((k) => [k.id, k.partnerId, k.plan, `${k.prefix}…`, k.createdAt, k.revokedAt ?? '-']);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  return [header, ...cells].map((c) => c.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

async function run(opened) {
  const { store, where } = opened;
  switch (command) {
    case 'create': {
      const created = await admin.createKey(store, { partnerId: values.partner, plan: values.plan, key: values.key });
      const { id, partnerId, plan } = created.record;
      if (created.existed) {
        console.log(`Key ${id} for partner ${partnerId} (plan ${plan}) is already in the ${where}; nothing changed.`);
      } else if (values.key !== undefined) {
        console.log(`Imported key ${id} for partner ${partnerId} (plan ${plan}) into the ${where}.`);
      } else {
        console.log(`Created key ${id} for partner ${partnerId} (plan ${plan}) in the ${where}.`);
        console.log('This is the only time the key is shown; only its SHA-256 is stored:\n');
        console.log(`  ${created.key}\n`);
      }
      return 0;
    }
    case 'list': {
      const keys = await admin.listKeys(store);
      console.log(keys.length === 0 ? `No keys in the ${where}.` : table(keys));
      return 0;
    }
    case 'revoke': {
      if (await admin.revokeKey(store, rest[0])) {
        console.log(`Revoked ${rest[0]} in the ${where}; gateways refuse it within seconds.`);
        return 0;
      }
      console.error(`keys: no key ${rest[0]} in the ${where}`);
      return 1;
    }
    default:
      throw new Error(`unknown command ${command}`);
  }
}

let opened;
let code = 1;
try {
  opened = await admin.openKeyStore({ partnerKeysFile: config.partnerKeysFile, redisUrl: config.redisUrl });
  code = await run(opened);
} catch (error) {
  console.error(`keys: ${error.message}`);
} finally {
  await opened?.close();
}
process.exit(code);
