import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis, type RedisServer } from '@frontdoor/testing';
import { ApiKeyVerifier } from './api-key.verifier';
import { FileApiKeyStore } from './file-key.store';

const root = join(__dirname, '../../../..');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run keys -- …` as an operator runs it (node on tools/keys/keys.mjs), bounded to 30 s. */
function keys(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, 'tools/keys/keys.mjs'), ...args],
      { cwd: root, env: { PATH: process.env['PATH'] ?? '', ...env }, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('the keys CLI (npm run keys)', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'frontdoor-keys-cli-'));
    env = { PARTNER_KEYS_FILE: join(dir, 'partner-keys.json') };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a key, prints it once, and the gateway accepts it; list shows no secrets; revoke closes it', async () => {
    const created = await keys(['create', '--partner', 'acme', '--plan', 'gold'], env);
    expect(created.code).toBe(0);
    const key = /^ {2}(fd_live_[A-Za-z0-9_-]{43})$/m.exec(created.stdout)?.[1] as string;
    const id = /Created key (key_[0-9a-f]{12}) for partner acme \(plan gold\)/.exec(created.stdout)?.[1] as string;
    expect(key).toBeDefined();
    expect(readFileSync(env['PARTNER_KEYS_FILE'] as string, 'utf8')).not.toContain(key);
    const verifier = new ApiKeyVerifier(new FileApiKeyStore({ path: env['PARTNER_KEYS_FILE'] as string }));
    expect(await verifier.verify(key)).toMatchObject({ id: 'acme', plan: 'gold', keyId: id });

    const listed = await keys(['list'], env);
    expect(listed.stdout).toMatch(new RegExp(`^${id}\\s+acme\\s+gold\\s+${key.slice(0, 12)}…\\s+\\S+\\s+-$`, 'm'));
    expect(listed.stdout).not.toContain(key);
    expect(listed.stdout).not.toMatch(/[0-9a-f]{64}/);

    expect((await keys(['revoke', id], env)).code).toBe(0);
    expect((await keys(['list'], env)).stdout).toMatch(new RegExp(`^${id}.*\\d{4}-\\d\\d-\\d\\dT\\S+Z$`, 'm'));
    expect((await keys(['revoke', 'key_000000000000'], env)).code).toBe(1);
  });

  it('imports a known key idempotently (demo seeding) without printing it', async () => {
    const demo = 'fd_demo_globex_T3kW8nB5vR1yM6qZ9cX4hJ2fD7sLp0Ga';
    const first = await keys(['create', '--partner', 'globex', '--plan', 'free', '--key', demo], env);
    const again = await keys(['create', '--partner', 'globex', '--plan', 'free', '--key', demo], env);
    expect([first.code, again.code]).toEqual([0, 0]);
    expect(again.stdout).toMatch(/already in the file .*; nothing changed/);
    expect(first.stdout + again.stdout).not.toContain(demo);
  });

  it.each([
    [['create', '--partner', 'acme'], 2, /create needs --partner and --plan/],
    [['frobnicate'], 2, /unknown command frobnicate/],
    [['create', '--partner', 'Acme Inc', '--plan', 'gold'], 1, /partner must be/],
  ])('%j exits %d', async (args, code, message) => {
    const run = await keys(args, env);
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(message);
  });

  describe('with REDIS_URL', () => {
    let redis: RedisServer;
    beforeAll(async () => (redis = await startRedis()));
    afterAll(() => redis?.stop());

    it('works on the Redis store', async () => {
      const redisEnv = { ...env, REDIS_URL: redis.url.toString() };
      const created = await keys(['create', '--partner', 'acme', '--plan', 'gold'], redisEnv);
      expect(created.stdout).toMatch(new RegExp(`in the redis 127.0.0.1:${redis.port}`));
      expect((await keys(['list'], redisEnv)).stdout).toMatch(/^key_[0-9a-f]{12}\s+acme\s+gold/m);
    });
  });
});
