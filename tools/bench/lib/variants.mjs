// What is measured. Routes are detected at start, because the apps grow while the benchmark lives: a route that does
// not exist yet is skipped with the reason, a stand-in is labelled as one, and every variant must answer correctly
// (status 200 + a body check) before it is measured.

import { createHash } from 'node:crypto';

/** The headers an upstream received, and whether a credential there is the client's own (a leak) or another. */
function describeUpstreamHeaders(seen, clientHeaders) {
  if (!seen?.headers) return 'unknown';
  const notes = Object.entries(seen.digests ?? {}).map(([name, d]) => {
    const client = Object.values(clientHeaders).map((v) => digest(v));
    return `${name} ${client.includes(d) ? 'IS THE CLIENT\'S OWN CREDENTIAL' : 'is not the client\'s credential (gateway identity token)'}`;
  });
  return `${seen.headers.join(', ')}${notes.length ? ` — ${notes.join('; ')}` : ''}`;
}

/** One GET with headers → {status, headers, body (parsed JSON when JSON), text}. */
export async function probe(url, headers = {}) {
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(5000) });
    const text = await res.text();
    let body;
    if (/json/.test(res.headers.get('content-type') ?? '')) {
      try {
        body = JSON.parse(text);
      } catch {
        /* leave undefined */
      }
    }
    return { status: res.status, headers: res.headers, body, text };
  } catch (error) {
    return { status: 0, headers: new Headers(), body: undefined, text: String(error.cause?.code ?? error.message) };
  }
}

const isEmployee = (b) => (b?.id === 'E0001' && typeof b.name === 'string') || 'body.id is not E0001';
const isProduct = (sku) => (b) => b?.sku === sku || `body.sku is not ${sku}`;
const isProfile = (withSalary) => (b) => {
  if (b?.id !== 'E0001') return 'body.id is not E0001';
  if (withSalary && typeof b.salary?.base !== 'number') return 'no salary.base in the profile';
  if (!withSalary && 'salary' in b) return 'a salary where none was expected';
  return true;
};
const isPage = (field, size) => (b) =>
  (Array.isArray(b?.[field]) && b[field].length === size && typeof b[field][0]?.sku === 'string') || `body.${field} is not ${size} products`;

/**
 * Finds what the apps answer and returns {variants, skipped, notes}. `ctx`: {ports, nginx, apps: {web, webJson,
 * mobile, partner}, creds: {bearer(role…), apiKey}, pageSize}. A variant: {id, group, label, route, url, headers,
 * check, gateway: {kind, pids}, app}.
 */
export async function detectVariants(ctx) {
  const { ports, nginx, apps, creds, pageSize } = ctx;
  const variants = [];
  const skipped = [];
  const notes = [];
  const sku = 'SKU-00001';
  const add = (v) => variants.push(v);

  // the baselines fetch the same upstream resource as the uncached pass-through: one ~1 KB employee from hr
  const employee = '/employees/E0001';
  add({ id: 'direct', group: 'baseline', label: 'upstream called directly', route: `GET ${employee}`, url: `http://127.0.0.1:${ports.hr}${employee}`, headers: {}, check: isEmployee, gateway: { kind: 'none' } });
  if (nginx) add({ id: 'nginx', group: 'baseline', label: 'nginx reverse proxy (keepalive 64)', route: `GET ${employee}`, url: `${nginx.url}${employee}`, headers: {}, check: isEmployee, gateway: { kind: 'nginx', pids: nginx.pids } });
  else skipped.push({ id: 'nginx', label: 'nginx reverse proxy', reason: 'nginx is not installed' });
  // the frameworks' floor: the cheapest forwarders Fastify and NestJS-on-Fastify allow, nothing of our pipeline
  for (const [kind, what] of [['fastify', 'Fastify route + undici Pool'], ['nest', 'NestJS on Fastify controller + undici Pool']]) {
    const floor = ctx.floors?.[kind];
    if (floor) add({ id: `floor-${kind}`, group: 'baseline', label: `framework floor: ${what}, no pipeline`, route: `GET ${employee}`, url: `${floor.url}${employee}`, headers: {}, check: isEmployee, gateway: { kind: 'floor', pids: floor.pids } });
  }

  const web = apps.web;
  const bearer = (...roles) => ({ authorization: `Bearer ${creds.bearer(roles)}` });
  const gw = (app) => ({ kind: 'app', pids: [app.pid], app: app.label });
  const allRoles = bearer('admin', 'warehouse', 'sales', 'finance', 'hr');

  // pass-through (issue 5's route tables): hr has no cache, so every request goes upstream, as through nginx
  const passPath = '/api/hr/employees/E0001';
  const pass = await probe(`${web.url}${passPath}`, allRoles);
  if (pass.status === 200 && isEmployee(pass.body) === true) {
    add({ id: 'web-pass', group: 'pass-through', label: 'web pass-through (uncached route)', route: `GET ${passPath}`, url: `${web.url}${passPath}`, headers: allRoles, check: isEmployee, gateway: gw(web) });
  } else {
    skipped.push({ id: 'web-pass', label: 'web pass-through', reason: `GET ${passPath} answered ${pass.status}: no pass-through route yet (issue 5); web-profile-1 stands in for "one upstream call"` });
  }
  const cachedPath = `/api/inventory/products/${sku}`;
  const cached = await probe(`${web.url}${cachedPath}`, allRoles);
  if (cached.status === 200 && isProduct(sku)(cached.body) === true) {
    add({ id: 'web-pass-cached', group: 'pass-through-cached', label: 'web pass-through, route cached 30 s (a cache hit after the first request)', route: `GET ${cachedPath}`, url: `${web.url}${cachedPath}`, headers: allRoles, check: isProduct(sku), gateway: gw(web) });
  } else {
    skipped.push({ id: 'web-pass-cached', label: 'web cached pass-through', reason: `GET ${cachedPath} answered ${cached.status}` });
  }

  // the employee profile: one part (hr) for a role that cannot see salaries, two parts (hr + payroll XML) for finance
  const profilePath = '/api/employees/E0001';
  add({ id: 'web-profile-1', group: 'one-call', label: 'web employee profile, role hr (hr only: one upstream call)', route: `GET ${profilePath}`, url: `${web.url}${profilePath}`, headers: bearer('hr'), check: isProfile(false), gateway: gw(web) });
  const finance = await probe(`${web.url}${profilePath}`, bearer('finance'));
  const twoParts = finance.status === 200 && isProfile(true)(finance.body) === true;
  if (twoParts) {
    add({ id: 'web-profile-2', group: 'aggregation', label: 'web employee profile, role finance (hr JSON + payroll XML)', route: `GET ${profilePath}`, url: `${web.url}${profilePath}`, headers: bearer('finance'), check: isProfile(true), gateway: gw(web) });
  } else {
    skipped.push({ id: 'web-profile-2', label: 'two-part aggregation (hr + payroll)', reason: `finance token got ${finance.status}${finance.status === 200 ? ' without a salary: no authentication yet, so every caller is anonymous and payroll is never asked (issue 3)' : ''}` });
  }

  // XML→JSON: payroll pass-through if it exists, else the finance profile; against the same route on a second web-bff
  // whose payroll upstream answers the same document in JSON
  const payrollPath = '/api/payroll/salaries/E0001';
  const payroll = await probe(`${web.url}${payrollPath}`, bearer('admin', 'finance'));
  const hasSalary = (_body, text) => text.includes('8230.09') || 'no base salary in the answer';
  if (payroll.status === 200 && hasSalary(payroll.body, payroll.text) === true) {
    ctx.needWebJson = true;
    for (const [id, app, dialect] of [['web-payroll-xml', 'web', 'XML'], ['web-payroll-json', 'webJson', 'JSON']]) {
      add({ id, group: dialect === 'XML' ? 'xml' : 'xml-twin', label: `web payroll pass-through, upstream answers ${dialect}`, route: `GET ${payrollPath}`, url: () => `${apps[app].url}${payrollPath}`, headers: bearer('admin', 'finance'), check: hasSalary, gateway: { kind: 'app', lazyApp: app } });
    }
    // the two-part aggregation without the XML translation (which has its own target): both parts JSON
    if (twoParts) {
      add({ id: 'web-profile-2-json', group: 'aggregation-json', label: 'web employee profile, role finance, both parts JSON (payroll answering the same document in JSON)', route: `GET ${profilePath}`, url: () => `${apps.webJson.url}${profilePath}`, headers: bearer('finance'), check: isProfile(true), gateway: { kind: 'app', lazyApp: 'webJson' } });
    }
  } else if (twoParts) {
    ctx.needWebJson = true;
    add({ id: 'web-profile-2-json', group: 'xml-twin', label: 'web employee profile, role finance, payroll answering the same document in JSON', route: `GET ${profilePath}`, url: () => `${apps.webJson.url}${profilePath}`, headers: bearer('finance'), check: isProfile(true), gateway: { kind: 'app', lazyApp: 'webJson' } });
    notes.push('XML→JSON is measured on the finance profile (no payroll pass-through route yet): web-profile-2 (payroll XML) against web-profile-2-json (payroll JSON, same content), same code, a second web-bff process.');
  } else {
    skipped.push({ id: 'web-payroll-xml', label: 'XML→JSON route', reason: `no payroll pass-through (GET ${payrollPath} → ${payroll.status}) and payroll is only reached by the finance profile, which needs authentication (issue 3)` });
  }

  // the dashboard (issue 5): three parts
  const dash = await probe(`${web.url}/api/dashboard`, bearer('admin', 'sales', 'finance'));
  if (dash.status === 200 && dash.body && !dash.body.degraded) {
    add({ id: 'web-dashboard', group: 'aggregation-3', label: 'web dashboard (sales summary + stock alerts + recent orders)', route: 'GET /api/dashboard', url: `${web.url}/api/dashboard`, headers: bearer('admin', 'sales', 'finance'), check: (b) => (b && !b.degraded) || 'degraded or empty', gateway: gw(web) });
  } else {
    skipped.push({ id: 'web-dashboard', label: 'web dashboard', reason: `GET /api/dashboard answered ${dash.status}${dash.body?.degraded ? ' (degraded)' : ''}: not there yet (issue 5)` });
  }

  const mobilePath = `/api/products?limit=${pageSize}`;
  add({ id: 'mobile-products', group: 'shaped', label: `mobile products, trimmed (page of ${pageSize})`, route: `GET ${mobilePath}`, url: `${apps.mobile.url}${mobilePath}`, headers: bearer('sales'), check: isPage('items', pageSize), gateway: gw(apps.mobile) });

  const partnerPath = `/v1/products?limit=${pageSize}`;
  const keyHeaders = { 'x-api-key': creds.apiKey ?? 'bench-no-key-store-yet' };
  add({ id: 'partner-products', group: 'partner', label: `partner v1 products with an API key (page of ${pageSize})`, route: `GET ${partnerPath}`, url: `${apps.partner.url}${partnerPath}`, headers: keyHeaders, check: isPage('data', pageSize), gateway: gw(apps.partner) });

  return { variants, skipped, notes };
}

/** Resolves lazily started apps (the JSON-payroll web-bff) into the variant's url and pids. */
export function resolveVariant(variant, apps) {
  const url = typeof variant.url === 'function' ? variant.url() : variant.url;
  const gateway = variant.gateway.lazyApp ? { kind: 'app', pids: [apps[variant.gateway.lazyApp].pid], app: apps[variant.gateway.lazyApp].label } : variant.gateway;
  return { ...variant, url, gateway };
}

/** One request: status 200 and the body check. → true or the reason. */
export async function verify(variant) {
  const r = await probe(variant.url, variant.headers);
  if (r.status !== 200) return `status ${r.status}: ${r.text.slice(0, 200)}`;
  const ok = variant.check(r.body, r.text);
  return ok === true ? true : `${ok}: ${r.text.slice(0, 200)}`;
}

/**
 * Which pipeline stages are on, by probing: auth (no credentials → 401), RBAC (a token without roles → 403), rate
 * limit (limit headers on an answer), metrics (/metrics), identity to upstreams (headers the upstream saw).
 */
const digest = (text) => createHash('sha256').update(text).digest('hex').slice(0, 16);

export async function probeStages({ apps, creds, ports }) {
  const stages = {};
  const routes = { web: ['/api/employees/E0001', 'hr'], mobile: ['/api/products?limit=1', 'inventory'], partner: ['/v1/products?limit=1', 'inventory'] };
  for (const [key, [path, service]] of Object.entries(routes)) {
    const app = apps[key];
    const anonymous = await probe(`${app.url}${path}`);
    const noRoles = key === 'partner' ? undefined : await probe(`${app.url}${path}`, { authorization: `Bearer ${creds.bearer([])}` });
    const metrics = await probe(`${app.url}/metrics`);
    const clientHeaders = key === 'partner' ? { 'x-api-key': creds.apiKey ?? 'bench-no-key-store-yet' } : { authorization: `Bearer ${creds.bearer(key === 'web' ? ['finance'] : ['sales'])}` };
    const withCreds = await probe(`${app.url}${path}`, clientHeaders);
    const seen = await probe(`http://127.0.0.1:${ports[service]}/__bench/seen`);
    const limitHeader = [...withCreds.headers.keys()].find((h) => /^(x-)?ratelimit-limit/.test(h));
    stages[key] = {
      auth: anonymous.status === 401 ? 'on (no credentials → 401)' : `off (no credentials → ${anonymous.status})`,
      rbac: noRoles === undefined ? 'n/a (API key)' : noRoles.status === 403 ? 'on (no roles → 403)' : `off or not probed (no roles → ${noRoles.status})`,
      rateLimit: limitHeader ? `on (${limitHeader}: ${withCreds.headers.get(limitHeader)})` : 'off (no limit headers)',
      metrics: metrics.status === 200 && metrics.text.includes('# TYPE') ? 'on' : `off (${metrics.status})`,
      upstreamHeaders: describeUpstreamHeaders(seen.body, clientHeaders),
    };
  }
  return stages;
}
