import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './deploy-files';

/** A demo partner and its published key, as the demo estate lists them. */
export interface SeededPartner {
  readonly partnerId: string;
  readonly plan: string;
  readonly apiKey: string;
}

/** The arguments of one inline Redis command: words, 'single-quoted' and "double-quoted" strings (as redis-cli splits them). */
export function inlineArgs(line: string): string[] {
  return [...line.matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g)].map(
    ([, single, double, word]) =>
      single?.replace(/\\'/g, "'") ?? double?.replace(/\\(.)/g, '$1') ?? word ?? '',
  );
}

const PREFIX = 'frontdoor:api-keys:';

/**
 * Every way the seed file misses a demo partner's key or could overwrite what is stored: each key needs a record
 * (SHA-256 only, its partner and plan, not revoked) written with SET … NX, and its id added with HSETNX, in the
 * layout of the Redis key store (libs/auth, RedisApiKeyStore). Nothing else may be in the file.
 */
export function seedProblems(seed: string, partners: readonly SeededPartner[]): string[] {
  const commands = seed
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(inlineArgs);
  const problems = commands
    .filter(
      ([verb = '', , , nx]) => !(/^set$/i.test(verb) && /^nx$/i.test(nx ?? '')) && !/^hsetnx$/i.test(verb),
    )
    .map(
      (c) =>
        `${c[0]} ${c[1]}: only SET … NX and HSETNX, so that a key stored (or revoked) since is never overwritten`,
    );
  for (const { partnerId, plan, apiKey } of partners) {
    const sha256 = createHash('sha256').update(apiKey).digest('hex');
    const set = commands.find(([verb = '', key]) => /^set$/i.test(verb) && key === `${PREFIX}hash:${sha256}`);
    if (!set) {
      problems.push(`no record for ${partnerId}'s demo key (${PREFIX}hash:<its SHA-256>)`);
      continue;
    }
    const record = JSON.parse(set[2] ?? 'null') as Record<string, unknown> | null;
    const expected = { sha256, prefix: apiKey.slice(0, 12), partnerId, plan, revokedAt: null };
    for (const [field, value] of Object.entries(expected))
      if (record?.[field] !== value)
        problems.push(`${partnerId}'s record: ${field} is not ${JSON.stringify(value)}`);
    const id = String(record?.['id']);
    if (!/^key_[0-9a-f]{12}$/.test(id))
      problems.push(`${partnerId}'s record: id ${id} is not key_ + 12 hex digits`);
    if (
      !commands.some(
        (c) => /^hsetnx$/i.test(c[0] ?? '') && c[1] === `${PREFIX}ids` && c[2] === id && c[3] === sha256,
      )
    )
      problems.push(`${partnerId}'s id ${id} is not added to ${PREFIX}ids`);
  }
  return problems;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs `use` against a throw-away Debian redis-server on 127.0.0.1 (no persistence, in a temporary directory),
 * stopped afterwards. @throws Error when redis-server is not installed or does not answer within 10 s
 */
export async function withRedisServer<T>(use: (port: number) => Promise<T> | T): Promise<T> {
  if (spawnSync('redis-server', ['--version']).error)
    throw new Error(
      "redis-server not found: install Debian's redis-server (apt-get install -y redis-server)",
    );
  const dir = mkdtempSync(join(tmpdir(), 'frontdoor-redis-'));
  const port = await freePort();
  const server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  );
  try {
    const deadline = Date.now() + 10_000;
    while (redisCli(port, ['ping']).stdout.trim() !== 'PONG') {
      if (Date.now() > deadline || server.exitCode !== null)
        throw new Error(`redis-server on ${port} did not start`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return await use(port);
  } finally {
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** redis-cli against 127.0.0.1:`port`, `input` on its stdin. */
export function redisCli(
  port: number,
  args: readonly string[],
  input?: string,
): { status: number | null; stdout: string } {
  const run = spawnSync('redis-cli', ['-p', String(port), ...args], {
    input,
    encoding: 'utf8',
    timeout: 10_000,
  });
  return { status: run.status, stdout: `${run.stdout ?? ''}${run.stderr ?? ''}` };
}

/** The keys CLI (`npm run keys`, tools/keys/keys.mjs) against the Redis at 127.0.0.1:`port`. */
export function keysCli(port: number, args: readonly string[]): { status: number | null; stdout: string } {
  const run = spawnSync(process.execPath, ['tools/keys/keys.mjs', ...args], {
    cwd: ROOT,
    env: { ...process.env, REDIS_URL: `redis://127.0.0.1:${port}` },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: run.status, stdout: `${run.stdout ?? ''}${run.stderr ?? ''}` };
}
