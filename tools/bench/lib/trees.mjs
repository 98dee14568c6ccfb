// A "tree" is one version of the apps under test: the working tree, or a commit exported with git archive (`--ref`,
// and `--compare` for a second version measured in the same run). Each tree gets its own three apps (plus the web-bff
// whose payroll answers JSON, when a variant needs it), its own partner key, and its own detected variants.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { partnerKey } from './auth.mjs';
import { buildApps, exportRef, staleBundles, startApp, upstreamEnv } from './gateways.mjs';
import { detectVariants, probeStages, resolveVariant } from './variants.mjs';

/**
 * Rate limits stay ON (their cost is the same at any limit) but far above the load, so that the one bench user and
 * the one bench partner are never refused: a variant with 429s would be reported as failed, not measured.
 * Requests per client connection as unbounded as nginx's `keepalive_requests 1000000` here: past the apps' default
 * of 1000, Node answers 503 to a request that arrives on the socket after the `Connection: close` answer, and
 * autocannon (the load tool where wrk is missing, as in CI) sends the next request without waiting for the close —
 * a fast variant then failed the smoke with thousands of 503s that no app had handled.
 */
export const BENCH_LIMITS = {
  RATE_LIMIT_USER_RPS: '100000',
  RATE_LIMIT_ANON_RPS: '100000',
  // the soak fills mobile-bff's token memory with 10,000 distinct tokens from one address
  RATE_LIMIT_NEW_CREDENTIAL_RPS: '0',
  PARTNER_PLANS: 'free:5:10000,gold:999999:9999999999',
  MAX_REQUESTS_PER_SOCKET: '1000000',
};

/** Every role set a variant or probe signs a token for (tokens are signed once, before any load). */
const ROLE_SETS = [[], ['hr'], ['finance'], ['sales'], ['admin', 'finance'], ['admin', 'sales', 'finance'], ['admin', 'warehouse', 'sales', 'finance', 'hr']];

/** The bundles of `ref` (exported and built in `dir`), or of the working tree (built when stale, per `build`). */
export function prepareTree(root, { ref, build, dir, log }) {
  if (ref) {
    const treeRoot = exportRef(root, ref, dir);
    log(`exported ${ref} to ${treeRoot}; building it…`);
    buildApps(treeRoot, { exported: true });
    return { root: treeRoot, ref };
  }
  const stale = staleBundles(root);
  if (build === 'always' || (build === 'auto' && stale.length)) {
    log(`building ${build === 'always' ? 'the apps' : `(missing or older than sources: ${stale.join(', ')})`}…`);
    buildApps(root);
  } else if (stale.length) log(`warning: --no-build with stale bundles: ${stale.join(', ')}`);
  return { root, ref: undefined };
}

async function credentials(jwks, apiKey) {
  const tokens = new Map();
  for (const roles of ROLE_SETS) tokens.set(roles.join(','), await jwks.sign('bench-user', roles));
  return {
    apiKey,
    bearer: (roles) => {
      const token = tokens.get(roles.join(','));
      if (!token) throw new Error(`no token signed for roles ${roles.join(',')}`);
      return token;
    },
  };
}

function appSpecs(estate, keyEnv, extraEnv, suffix) {
  const common = { ...BENCH_LIMITS, ...estate.jwks.env, ...keyEnv, ...extraEnv };
  const up = upstreamEnv(estate.ports);
  return {
    web: { app: 'web-bff', label: `web-bff${suffix}`, env: { ...up, ...common } },
    webJson: { app: 'web-bff', label: `web-bff (payroll JSON)${suffix}`, env: { ...upstreamEnv(estate.ports, { payroll: 'payrollJson' }), ...common } },
    mobile: { app: 'mobile-bff', label: `mobile-bff${suffix}`, env: { ...up, ...common } },
    partner: { app: 'partner-bff', label: `partner-bff${suffix}`, env: { ...up, ...common } },
  };
}

/**
 * Starts one tree's apps against the shared estate (upstream, JWKS, nginx), detects its variants and probes its
 * pipeline. Variant ids and app labels of a compared tree end in `@<ref>`.
 */
export async function startTree(tree, { estate, options, pins, dir, suffix = '' }) {
  const own = join(dir, `apps${suffix.replace(/[^A-Za-z0-9]/g, '-')}`);
  mkdirSync(own, { recursive: true });
  const key = partnerKey(tree.root, own, options.partnerKey);
  const specs = appSpecs(estate, key.env, options.env, suffix);
  const launch = (k) => startApp(tree.root, specs[k].app, { label: specs[k].label, env: specs[k].env, cpu: pins.server, logFile: join(own, `${k}.log`) });
  const apps = {};
  await Promise.all(['web', 'mobile', 'partner'].map(async (k) => (apps[k] = await launch(k))));
  const creds = await credentials(estate.jwks, key.key);
  const ctx = { ports: estate.ports, nginx: estate.nginx, floors: estate.floors, apps, creds, pageSize: options.pageSize };
  const detected = await detectVariants(ctx);
  if (ctx.needWebJson) apps.webJson = await launch('webJson');
  const stages = await probeStages({ apps, creds, ports: estate.ports });
  stages.partner.key = key.key ? `API key via ${key.how}` : `no API key (${key.how})`;
  const appKeyOf = (pid) => Object.keys(apps).find((k) => apps[k].pid === pid);
  const variants = detected.variants.map((v) => {
    const r = resolveVariant(v, apps);
    if (r.gateway.kind !== 'app') return r;
    const appKey = appKeyOf(r.gateway.pids[0]);
    return { ...r, id: `${r.id}${suffix}`, label: `${r.label}${suffix ? ` (${suffix.slice(1)})` : ''}`, logFile: apps[appKey].logFile, tree: { root: tree.root, spec: specs[appKey] } };
  });
  const skipped = detected.skipped.map((s) => ({ ...s, id: `${s.id}${suffix}` }));
  return { apps, variants, skipped, notes: detected.notes, stages };
}
