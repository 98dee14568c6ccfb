import { APP_PORTS, ConfigError, type AppName } from '@frontdoor/config';
import { BFFS, appConfig, checkConfig, demoDefaultsOf, knownEnvNames } from './deploy-files';
import { SHUTDOWN_MARGIN_S } from './k8s.checks';
import type { NginxUpstream } from './nginx.checks';

interface Service {
  readonly image?: string;
  readonly command?: string | readonly string[];
  readonly build?: { readonly context?: string; readonly dockerfile?: string };
  readonly environment?: Readonly<Record<string, string | number>>;
  readonly deploy?: { readonly replicas?: number };
  readonly depends_on?: Readonly<Record<string, { readonly condition?: string }>> | readonly string[];
  readonly volumes?: readonly string[];
  readonly ports?: readonly string[];
  readonly stop_grace_period?: string;
}

/** docker/compose.yaml as plain data (merge keys resolved). */
export interface Compose {
  readonly services: Readonly<Record<string, Service>>;
  readonly networks?: Readonly<Record<string, { ipam?: { config?: readonly { subnet?: string }[] } }>>;
}

const dependsOn = (s: Service) =>
  Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {});
const commandOf = (s: Service | undefined) =>
  Array.isArray(s?.command) ? s.command.join(' ') : String(s?.command ?? '');
const envOf = (s: Service | undefined) =>
  Object.fromEntries(Object.entries(s?.environment ?? {}).map(([k, v]) => [k, String(v)]));

/** A Compose duration (`1m30s`, `15s`, `500ms`) in seconds; NaN when it is none. */
export function secondsOf(duration: string): number {
  const parts = [...duration.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== duration) return NaN;
  const unit: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001, us: 0.000001 };
  return parts.reduce((sum, [, n, u]) => sum + Number(n) * (unit[u as string] as number), 0);
}

/** The one subnet of the compose network(s): what TRUST_PROXY must name. */
export function composeSubnets(compose: Compose): string[] {
  return Object.values(compose.networks ?? {}).flatMap((n) =>
    (n.ipam?.config ?? []).map((c) => c.subnet ?? ''),
  );
}

function envProblems(app: AppName, env: Readonly<Record<string, string>>, compose: Compose): string[] {
  const known = knownEnvNames(app);
  const problems = Object.keys(env)
    .filter((name) => !known.has(name))
    .map((name) => `${app} sets ${name}, which the app does not read`);
  if (!env['REDIS_URL']) problems.push(`${app} has no REDIS_URL`);
  else if (!compose.services[new URL(env['REDIS_URL']).hostname])
    problems.push(`${app}'s REDIS_URL names no compose service`);
  if (!env['TRUST_PROXY'] || env['TRUST_PROXY'] !== composeSubnets(compose).join(',')) {
    problems.push(`${app}'s TRUST_PROXY is not the compose network (${composeSubnets(compose).join(',')})`);
  }
  if (env['PORT'] !== String(APP_PORTS[app])) problems.push(`${app}'s PORT is not ${APP_PORTS[app]}`);
  const demo = demoDefaultsOf(app, env);
  if (demo.length > 0) problems.push(`${app} leaves ${demo.join(', ')} on the demo estate's defaults`);
  try {
    checkConfig(app, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(`${app}: ${error.message}`);
  }
  return problems;
}

function bffProblems(app: AppName, compose: Compose): string[] {
  const service = compose.services[app];
  if (!service) return [`no ${app} service`];
  const problems: string[] = [];
  if (service.build?.dockerfile !== `docker/${app}.Dockerfile`)
    problems.push(`${app} is not built from docker/${app}.Dockerfile`);
  if (service.deploy?.replicas !== 2) problems.push(`${app} does not run 2 replicas`);
  if ((service.ports ?? []).length > 0)
    problems.push(`${app} publishes ports itself (only the load balancer should)`);
  for (const dep of ['redis', 'demo-upstreams'])
    if (!dependsOn(service).includes(dep)) problems.push(`${app} does not wait for ${dep}`);
  // `docker compose stop` sends SIGTERM, then SIGKILL after stop_grace_period (Docker's default: 10 s)
  const drainMs = appConfig(app, envOf(service))?.shutdownDrainMs;
  const grace = secondsOf(service.stop_grace_period ?? '10s');
  if (drainMs !== undefined && !(grace >= Math.ceil(drainMs / 1000) + SHUTDOWN_MARGIN_S)) {
    problems.push(
      `${app}: stop_grace_period ${service.stop_grace_period ?? '10s (the default)'} < SHUTDOWN_DRAIN_MS ${drainMs / 1000} s + ${SHUTDOWN_MARGIN_S} s margin`,
    );
  }
  return [...problems, ...envProblems(app, envOf(service), compose)];
}

/** Every way the compose file misses Redis, the estate, two replicas per BFF sharing Redis, or the load balancer. */
export function composeProblems(compose: Compose): string[] {
  const { services } = compose;
  const problems: string[] = [];
  if (!/^redis:/.test(services['redis']?.image ?? '')) problems.push('no redis service');
  if (services['demo-upstreams']?.build?.dockerfile !== 'docker/demo-upstreams.Dockerfile')
    problems.push('no demo-upstreams service');
  if (composeSubnets(compose).length !== 1) problems.push('not exactly one network subnet');
  const lb = services['lb'];
  if (!/^nginx:/.test(lb?.image ?? '')) problems.push('no nginx load balancer (service lb)');
  if (!(lb?.volumes ?? []).includes('./nginx.conf:/etc/nginx/nginx.conf:ro'))
    problems.push('lb does not mount ./nginx.conf');
  const trusted = String(services['demo-upstreams']?.environment?.['DEMO_TRUSTED_GATEWAYS'] ?? '').split(',');
  for (const app of BFFS) {
    if (!trusted.includes(`http://${app}:${APP_PORTS[app]}/.well-known/jwks.json`))
      problems.push(`the estate does not trust ${app}'s JWKS`);
    if (lb && !dependsOn(lb).includes(app)) problems.push(`lb does not wait for ${app}`);
    if (lb && !(lb.ports ?? []).some((p) => p.endsWith(`:${APP_PORTS[app]}:${APP_PORTS[app]}`)))
      problems.push(`lb does not publish ${APP_PORTS[app]}`);
    problems.push(...bffProblems(app, compose));
  }
  return problems;
}

/**
 * The keep-alive race: nginx must close an idle connection to a BFF before the BFF does (its upstream
 * keepalive_timeout below the BFF's KEEP_ALIVE_TIMEOUT_MS), or it may send a request on a connection being closed.
 */
export function keepAliveProblems(upstreams: readonly NginxUpstream[], compose: Compose): string[] {
  return BFFS.flatMap((app) => {
    const upstream = upstreams.find((u) => u.servers.some((s) => s.host === app));
    const bffMs = appConfig(app, envOf(compose.services[app]))?.keepAliveTimeoutMs;
    if (!upstream || bffMs === undefined) return [`no nginx upstream or no valid environment for ${app}`];
    return upstream.keepaliveTimeoutMs < bffMs
      ? []
      : [
          `nginx keeps idle connections to ${app} ${upstream.keepaliveTimeoutMs} ms, not less than its KEEP_ALIVE_TIMEOUT_MS (${bffMs})`,
        ];
  });
}

/** The file of Redis commands the partner-keys job sends, next to compose.yaml. */
export const PARTNER_KEYS_SEED = 'demo-partner-keys.redis';

/**
 * The demo partner keys in compose: a one-shot job pipes docker/demo-partner-keys.redis into the compose Redis with
 * `redis-cli --pipe` (non-zero exit on any refused line), partner-bff waits for it, and Redis keeps an append-only
 * file on a volume so that `docker compose restart redis` keeps the keys.
 */
export function partnerKeysProblems(compose: Compose): string[] {
  const job = compose.services['partner-keys'];
  if (!job) return ['no partner-keys job seeding the demo partner keys'];
  const problems: string[] = [];
  const target = (job.volumes ?? [])
    .map((v) => v.split(':'))
    .find(([source]) => source === `./${PARTNER_KEYS_SEED}`)?.[1];
  if (
    !/^redis:/.test(job.image ?? '') ||
    !target ||
    !commandOf(job).includes(`redis-cli -h redis --pipe < ${target}`)
  )
    problems.push(
      `partner-keys does not pipe ./${PARTNER_KEYS_SEED} into the redis service with redis-cli --pipe`,
    );
  if (!dependsOn(job).includes('redis')) problems.push('partner-keys does not wait for redis');
  const deps = compose.services['partner-bff']?.depends_on;
  if (
    Array.isArray(deps) ||
    (deps as Record<string, { condition?: string }> | undefined)?.['partner-keys']?.condition !==
      'service_completed_successfully'
  )
    problems.push('partner-bff does not wait for partner-keys to complete');
  const redis = compose.services['redis'];
  if (
    !/--appendonly yes\b/.test(commandOf(redis)) ||
    !(redis?.volumes ?? []).some((v) => v.split(':')[1] === '/data')
  )
    problems.push('redis keeps no append-only file on a volume: a restart would drop the seeded keys');
  return problems;
}
