import { APP_PORTS } from '@frontdoor/config';
import { DEMO_PARTNERS } from '@frontdoor/demo-estate';
import { BFFS, readRepoFile, yamlDocuments } from './deploy-files';
import {
  PARTNER_KEYS_SEED,
  composeProblems,
  keepAliveProblems,
  partnerKeysProblems,
  secondsOf,
  type Compose,
} from './compose.checks';
import { nginxTest, readNginx } from './nginx.checks';
import { keysCli, redisCli, seedProblems, withRedisServer } from './partner-keys.checks';

// docker/compose.yaml and docker/nginx.conf, checked without a Docker engine: what runs, how many, what each BFF is
// told (names and values through the apps' own config schema), and nginx's own verdict on its configuration.
const compose = yamlDocuments('docker/compose.yaml')[0] as Compose;
const nginxConf = readRepoFile('docker/nginx.conf');

describe('secondsOf (Compose durations)', () => {
  it.each([
    ['15s', 15],
    ['1m30s', 90],
    ['1h', 3600],
    ['500ms', 0.5],
    ['1.5s', 1.5],
    ['15', NaN],
    ['15 s', NaN],
    ['', NaN],
  ])('%s → %s', (duration, seconds) => {
    expect(secondsOf(duration)).toBe(seconds);
  });
});

describe('docker/compose.yaml', () => {
  it('runs Redis, the demo estate, two replicas of each BFF sharing Redis and trusting only the LB, and nginx', () => {
    expect(composeProblems(compose)).toEqual([]);
  });

  const withBff = (app: string, patch: (s: Record<string, unknown>) => Record<string, unknown>): Compose => ({
    ...compose,
    services: { ...compose.services, [app]: patch({ ...compose.services[app] }) },
  });
  const env = (app: string) => compose.services[app].environment ?? {};

  it.each([
    [
      'one replica',
      withBff('web-bff', (s) => ({ ...s, deploy: { replicas: 1 } })),
      'web-bff does not run 2 replicas',
    ],
    [
      'no REDIS_URL',
      withBff('partner-bff', (s) => ({ ...s, environment: { ...env('partner-bff'), REDIS_URL: '' } })),
      'partner-bff has no REDIS_URL',
    ],
    [
      'a variable the app does not know',
      withBff('mobile-bff', (s) => ({ ...s, environment: { ...env('mobile-bff'), RATE_LIMIT_RPS: '5' } })),
      'mobile-bff sets RATE_LIMIT_RPS, which the app does not read',
    ],
    [
      'a value the app refuses',
      withBff('web-bff', (s) => ({
        ...s,
        environment: { ...env('web-bff'), UPSTREAM_HR_URL: 'demo-upstreams:4002' },
      })),
      'UPSTREAM_HR_URL must be',
    ],
    [
      'TRUST_PROXY trusting everyone',
      withBff('web-bff', (s) => ({ ...s, environment: { ...env('web-bff'), TRUST_PROXY: '0.0.0.0/0' } })),
      "web-bff's TRUST_PROXY is not the compose network",
    ],
    ['no load balancer', { ...compose, services: { ...compose.services, lb: {} } }, 'no nginx load balancer'],
    [
      "Docker's default stop grace period (10 s, the whole drain)",
      withBff('mobile-bff', (s) => ({ ...s, stop_grace_period: undefined })),
      'mobile-bff: stop_grace_period 10s (the default) < SHUTDOWN_DRAIN_MS 10 s + 5 s margin',
    ],
    [
      'a stop grace period shorter than the drain',
      withBff('web-bff', (s) => ({
        ...s,
        stop_grace_period: '1m',
        environment: { ...env('web-bff'), SHUTDOWN_DRAIN_MS: '60000' },
      })),
      'web-bff: stop_grace_period 1m < SHUTDOWN_DRAIN_MS 60 s + 5 s margin',
    ],
    [
      'the issuer left on the demo default',
      withBff('partner-bff', (s) => ({ ...s, environment: { ...env('partner-bff'), JWT_ISSUER: '' } })),
      "partner-bff leaves JWT_ISSUER on the demo estate's defaults",
    ],
  ])('catches %s', (_case, broken, problem) => {
    expect(composeProblems(broken).join('\n')).toContain(problem);
  });

  it("seeds the demo partners' keys into Redis before partner-bff starts, and Redis keeps them across a restart", () => {
    expect(partnerKeysProblems(compose)).toEqual([]);
  });

  const without = (name: string): Compose => ({
    ...compose,
    services: Object.fromEntries(Object.entries(compose.services).filter(([n]) => n !== name)),
  });
  it.each([
    ['no seeding job', without('partner-keys'), 'no partner-keys job'],
    [
      'the job on another file',
      withBff('partner-keys', (s) => ({ ...s, volumes: ['./other.redis:/seed/demo-partner-keys.redis:ro'] })),
      'does not pipe ./demo-partner-keys.redis',
    ],
    [
      'partner-bff not waiting for it',
      withBff('partner-bff', (s) => ({ ...s, depends_on: { redis: { condition: 'service_healthy' } } })),
      'partner-bff does not wait for partner-keys',
    ],
    [
      'a Redis without persistence (a restart drops the keys)',
      withBff('redis', (s) => ({ ...s, command: ['redis-server', '--save', '', '--appendonly', 'no'] })),
      'redis keeps no append-only file on a volume',
    ],
  ])('catches %s', (_case, broken, problem) => {
    expect(partnerKeysProblems(broken).join('\n')).toContain(problem);
  });
});

describe(`docker/${PARTNER_KEYS_SEED}`, () => {
  const seed = readRepoFile(`docker/${PARTNER_KEYS_SEED}`);

  it("holds a record for each demo partner's published key (DEMO_PARTNERS), written without overwriting", () => {
    expect(DEMO_PARTNERS.length).toBeGreaterThan(0);
    expect(seedProblems(seed, DEMO_PARTNERS)).toEqual([]);
  });

  it.each([
    [
      'a key the estate does not publish',
      seed.replace(/fd_demo_acme/g, 'fd_demo_acmx').replace(/c9d0/g, 'c9d1'),
      "no record for acme's",
    ],
    ['another plan', seed.replace('"plan":"gold"', '"plan":"free"'), `acme's record: plan is not "gold"`],
    ['an overwriting SET', seed.replace("}' NX", "}'"), 'only SET … NX and HSETNX'],
  ])('catches %s', (_case, broken, problem) => {
    expect(broken).not.toBe(seed);
    expect(seedProblems(broken, DEMO_PARTNERS).join('\n')).toContain(problem);
  });

  it("piped into a real Redis as the job does it (twice), makes the keys CLI find every demo partner's key", async () => {
    await withRedisServer((port) => {
      expect(redisCli(port, ['--pipe'], seed)).toMatchObject({ status: 0 });
      expect(redisCli(port, ['--pipe'], seed)).toMatchObject({ status: 0 }); // a second run (compose up again)
      for (const { partnerId, plan, apiKey } of DEMO_PARTNERS) {
        // importing a key that is stored for the same partner and plan changes nothing, and says so
        const created = keysCli(port, ['create', '--partner', partnerId, '--plan', plan, '--key', apiKey]);
        expect(created.stdout).toContain(`for partner ${partnerId} (plan ${plan}) is already in the redis`);
        expect(created.status).toBe(0);
      }
      const listed = keysCli(port, ['list']);
      expect(listed.status).toBe(0);
      expect(listed.stdout.trim().split('\n')).toHaveLength(1 + DEMO_PARTNERS.length);
      expect(redisCli(port, ['--pipe'], 'SET a\n').status).not.toBe(0); // and --pipe does fail on a refused line
    });
  });
});

describe('docker/nginx.conf', () => {
  const { upstreams, servers } = readNginx(nginxConf);

  it.each(BFFS)('balances %s over its compose service with keep-alive, and sets X-Forwarded-For', (app) => {
    const port = APP_PORTS[app];
    const server = servers.find((s) => s.listen === port);
    const upstream = upstreams.find((u) => u.name === server?.proxyPass);
    expect(upstream?.servers).toEqual([{ host: app, port }]);
    expect(compose.services[app]?.environment?.['PORT']).toBe(String(port));
    expect(upstream?.keepalive).toBe(true);
    expect(server?.setsForwardedFor).toBe(true);
  });

  it.each(BFFS)(
    'closes idle connections to %s before the BFF does (keepalive_timeout < KEEP_ALIVE_TIMEOUT_MS)',
    (app) => {
      expect(keepAliveProblems(upstreams, compose).filter((p) => p.includes(app))).toEqual([]);
    },
  );

  it.each([
    [
      'no keepalive_timeout (nginx keeps 60 s)',
      nginxConf.replace(/ *keepalive_timeout 4s;\n/g, ''),
      '60000 ms',
    ],
    [
      'one longer than the BFF',
      nginxConf.replace('keepalive_timeout 4s;', 'keepalive_timeout 5s;'),
      '5000 ms',
    ],
  ])('catches %s', (_case, broken, problem) => {
    expect(broken).not.toBe(nginxConf);
    expect(keepAliveProblems(readNginx(broken).upstreams, compose).join('\n')).toContain(problem);
  });

  it('has one upstream and one server per BFF, nothing else', () => {
    expect(upstreams).toHaveLength(BFFS.length);
    expect(servers.map((s) => s.listen).sort()).toEqual(BFFS.map((app) => APP_PORTS[app]).sort());
  });

  it("passes Debian's `nginx -t` (upstream hosts pointed at 127.0.0.1 in a copy: compose names resolve only in compose)", () => {
    expect(nginxTest(nginxConf)).toEqual({ status: 0, output: '' });
  });

  it('and `nginx -t` does refuse a broken copy', () => {
    const result = nginxTest(nginxConf.replace('keepalive 32;', 'keepalive 32'));
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/emerg/);
  });
});
