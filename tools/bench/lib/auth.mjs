// Credentials for the gateways' real pipelines: a tiny JWKS server with its own RS256 key (user tokens for web and
// mobile, passed to the apps as JWT_JWKS_URL / JWT_ISSUER / JWT_AUDIENCE) and a partner API key, made with the
// repo's own keys CLI when it exists. Everything stays on 127.0.0.1 and in the run's temp dir.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

const AUDIENCE = 'frontdoor';

/** Starts the JWKS server; returns {env, sign(sub, roles), close()}. */
export async function startJwks() {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = 'bench-1';
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] });
  const server = createServer((req, res) => {
    if (req.url === '/.well-known/jwks.json' || req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=600' });
      res.end(req.url === '/health' ? '{"status":"ok"}' : jwks);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  return {
    env: { JWT_JWKS_URL: `${issuer}/.well-known/jwks.json`, JWT_ISSUER: issuer, JWT_AUDIENCE: AUDIENCE },
    /** A 1 h RS256 user token, like the demo identity provider's: `sub`, `roles`, `iss`, `aud`, `iat`, `exp`, `kid`. */
    sign: (sub, roles) =>
      new SignJWT({ roles })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setSubject(sub)
        .setIssuer(issuer)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Env var names the config lib declares for the partner key file (PARTNER_KEYS_FILE), found by reading it. */
function keyFileVariables(root) {
  const dir = join(root, 'libs/config/src');
  const names = new Set();
  if (!existsSync(dir)) return [];
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.ts') || file.endsWith('.spec.ts')) continue;
    for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/'((?:PARTNER|API)_[A-Z0-9_]*KEYS?_(?:FILE|PATH|STORE))'/g)) names.add(m[1]);
  }
  return [...names];
}

/**
 * A partner API key for the bench: `given` (--partner-key / BENCH_PARTNER_KEY) as is, else one made with
 * `tools/keys/keys.mjs create --partner acme --plan gold` into a key file in `dir`. Returns
 * {key, env, how} or {key: undefined, env: {}, how: reason}.
 */
export function partnerKey(root, dir, given) {
  if (given) return { key: given, env: {}, how: 'given on the command line' };
  const cli = join(root, 'tools/keys/keys.mjs');
  if (!existsSync(cli)) return { key: undefined, env: {}, how: 'tools/keys/keys.mjs does not exist yet' };
  const variables = keyFileVariables(root);
  const file = join(dir, 'partner-keys.json');
  const env = Object.fromEntries((variables.length ? variables : ['PARTNER_KEYS_FILE']).map((v) => [v, file]));
  const out = spawnSync(process.execPath, [cli, 'create', '--partner', 'acme', '--plan', 'gold'], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (out.status !== 0) return { key: undefined, env, how: `keys CLI failed: ${(out.stderr || out.stdout).trim().slice(0, 300)}` };
  // the key is printed once, on a line of its own (else: the longest key-looking token of the output)
  const text = `${out.stdout}\n${out.stderr}`;
  const alone = text.split('\n').map((l) => l.trim()).find((l) => /^[A-Za-z0-9_.~+=-]{24,}$/.test(l));
  const tokens = text.match(/[A-Za-z0-9_.~+=-]{24,}/g) ?? [];
  const key = alone ?? tokens.sort((a, b) => b.length - a.length)[0];
  return key ? { key, env, how: `tools/keys/keys.mjs create (${Object.keys(env).join(', ')})` } : { key: undefined, env, how: 'no key found in the keys CLI output' };
}
