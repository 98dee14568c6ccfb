// One-shot job of docker/compose.yaml: makes each BFF's gateway signing key (PKCS#8 PEM, EC P-256) once, in the
// shared volume given as argv[2], so that both replicas of an app sign upstream identity tokens with the same key
// (GATEWAY_SIGNING_KEY_FILE). Existing keys are kept. The files belong to uid 1000, the BFF images' user.
import { generateKeyPairSync } from 'node:crypto';
import { chownSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) throw new Error('usage: gateway-keygen.mjs <directory>');
for (const app of ['web-bff', 'mobile-bff', 'partner-bff']) {
  const file = join(dir, `${app}.pem`);
  if (existsSync(file)) continue;
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o400 });
  chownSync(file, 1000, 1000);
  process.stdout.write(`gateway-keygen: wrote ${file}\n`);
}
