import { APP_PORTS } from '@frontdoor/config';
import { BFFS, readRepoFile, yamlDocuments } from './deploy-files';
import { composeProblems, type Compose } from './compose.checks';
import { nginxTest, readNginx } from './nginx.checks';

// docker/compose.yaml and docker/nginx.conf, checked without a Docker engine: what runs, how many, what each BFF is
// told (names and values through the apps' own config schema), and nginx's own verdict on its configuration.
const compose = yamlDocuments('docker/compose.yaml')[0] as Compose;
const nginxConf = readRepoFile('docker/nginx.conf');

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
  ])('catches %s', (_case, broken, problem) => {
    expect(composeProblems(broken).join('\n')).toContain(problem);
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
