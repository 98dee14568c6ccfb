#!/usr/bin/env node
// npm run load-fault (issue 8, "A load-and-fault run"): one redis-server, the demo estate and two replicas of each
// BFF (tools/replicas' process management), sustained load on all three apps at a fixed, moderate rate while faults
// are injected on a schedule (upstream latency, error burst, garbage, hang; a replica drained, one killed and
// restarted; Redis restarted). Every request carries an X-Request-Id of its own and lands in an outcome ledger; the
// assertions at the end (classified statuses, no 500s, no answer past its deadline, problem+json, no duplicated
// orders, memory flat after warm-up, …) decide the exit code. Report: docs/load-and-fault.md (--short: a temp file).
// 127.0.0.1 only; bounded by a global timeout; every process started here is stopped on every way out.
// Exit 0 no assertion failed (NOT AVAILABLE / NOT JUDGED are printed, never counted as passed), 1 a failure.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeMachine } from '../bench/lib/machine.mjs';
import { partnerKey } from '../replicas/lib/estate.mjs';
import { request } from '../replicas/lib/http.mjs';
import { exitOf, killAllNow, stopAll } from '../replicas/lib/processes.mjs';
import { preflight } from '../replicas/lib/start.mjs';
import { linesAbout, readAccessLogs } from './lib/access-logs.mjs';
import { FAIL, judge } from './lib/assertions.mjs';
import { BFF_APPS, startCluster, stopCluster } from './lib/cluster.mjs';
import { runFaults } from './lib/faults.mjs';
import { Ledger, agentFor, send } from './lib/ledger.mjs';
import { startLoad } from './lib/load.mjs';
import { ordersAtSales, probeOrderRoute, startOrders } from './lib/orders.mjs';
import { printSummary, renderReport } from './lib/report.mjs';
import { judgeMemory, startRssSampler } from './lib/rss.mjs';
import { startStallMeter } from './lib/starvation.mjs';
import { Router, buildTargets } from './lib/workload.mjs';

const USAGE = `usage: node tools/load-fault/run.mjs [--short] [--duration <s>] [--report <file>] [--keep-logs]
  --short       16 s of load, the faults packed into its first 10 s (CI); report to a temp file, memory not judged
  --duration    seconds of load (default 60, or 16 with --short)
  --report      where the Markdown report goes (default docs/load-and-fault.md, or a temp file with --short)
  --keep-logs   keep the processes' logs even when everything passed`;

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const log = (line) => process.stdout.write(`load-fault: ${line}\n`);
const ORDER_RPS = 1.5;
const CLIENT_TIMEOUT_MS = 10_000; // past the deadline + margin by far: an answer this late is a hang
const SETTLE_MS = 8_000; // retries of logical orders may go on this long after the load

function options() {
  let parsed;
  try {
    parsed = parseArgs({ options: { short: { type: 'boolean' }, duration: { type: 'string' }, report: { type: 'string' }, 'keep-logs': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    console.error(`${error.message}\n${USAGE}`);
    process.exit(2);
  }
  const { values } = parsed;
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const short = Boolean(values.short);
  const durationS = values.duration === undefined ? (short ? 16 : 60) : Number(values.duration);
  if (!(durationS >= (short ? 12 : 20) && durationS <= 600)) {
    console.error(`--duration must be ${short ? 12 : 20} to 600 seconds\n${USAGE}`);
    process.exit(2);
  }
  const report = values.report ?? (short ? join(tmpdir(), `frontdoor-load-fault-${Date.now()}.md`) : join(root, 'docs/load-and-fault.md'));
  return { short, durationMs: durationS * 1000, report: resolve(report), keepLogs: Boolean(values['keep-logs']) };
}

/** Builds the bundles only when one is missing (CI builds them before this runs). */
function ensureBuilt() {
  const missing = [...BFF_APPS, 'demo-upstreams'].filter((app) => !existsSync(join(root, `dist/apps/${app}/main.js`)));
  if (missing.length === 0) return;
  log(`no bundle for ${missing.join(', ')} in dist/apps: building first (nx run-many -t build)…`);
  execFileSync('npx', ['nx', 'run-many', '-t', 'build', '--projects=web-bff,mobile-bff,partner-bff,demo-upstreams', '--output-style=static'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
  });
}

/** Ids that exist in the estate, read with the run's own gateway token (the services trust it). */
async function sampleData(identity) {
  const get = async (port, service, path) => {
    const res = await request(`http://127.0.0.1:${port}${path}`, { headers: { authorization: await identity.bearer(service) } });
    if (res.status !== 200) throw new Error(`${service} GET ${path} answered ${res.status || res.error} to the run's own gateway token`);
    return res.body;
  };
  const [employees, products, customers, globex, all] = await Promise.all([
    get(4002, 'hr', '/employees?limit=30'),
    get(4001, 'inventory', '/products?limit=1'),
    get(4005, 'customers', '/customers?limit=1'),
    get(4004, 'sales', '/orders?partnerId=globex&limit=1'),
    get(4004, 'sales', '/orders?limit=1'),
  ]);
  return {
    employeeIds: employees.items.map((e) => e.id),
    sku: products.items[0].sku,
    customerId: customers.items[0].id,
    foreignOrderId: globex.items[0].id,
    ordersTotal: all.total,
  };
}

async function loadAndFaults(ctx, opts) {
  const samples = await sampleData(ctx.identity);
  const apiKey = partnerKey(ctx.credentials, 'acme');
  const orderBody = { customerId: samples.customerId, items: [{ sku: samples.sku, quantity: 1 }] };
  const orders = await probeOrderRoute(ctx.replicas['partner-bff'][0], apiKey, orderBody);
  log(orders.available ? 'POST /v1/orders is served: idempotent orders are part of the load' : `orders NOT AVAILABLE: ${orders.why}`);
  const baselineTotal = (await sampleData(ctx.identity)).ordersTotal;
  const targets = buildTargets({ tokens: ctx.credentials.tokens, apiKey, samples });
  const replicas = Object.values(ctx.replicas).flat();
  const agents = Object.fromEntries(replicas.map((r) => [r.name, agentFor()]));
  const routers = Object.fromEntries(BFF_APPS.map((app) => [app, new Router(ctx.replicas[app])]));

  const ledger = new Ledger(Date.now().toString(36));
  log(`${opts.durationMs / 1000} s of load with faults…`);
  const rss = startRssSampler({ ledger, replicas });
  const stall = startStallMeter(() => ledger.now());
  const load = startLoad({ ledger, targets, routers, agents, durationMs: opts.durationMs, timeoutMs: CLIENT_TIMEOUT_MS });
  const orderRun = orders.available
    ? startOrders({ ledger, router: routers['partner-bff'], agents, apiKey, customerId: samples.customerId, sku: samples.sku, rps: ORDER_RPS, durationMs: opts.durationMs, settleMs: SETTLE_MS, timeoutMs: CLIENT_TIMEOUT_MS })
    : undefined;
  const finance = { authorization: `Bearer ${ctx.credentials.tokens.finance}` };
  const drainProbe = (replica) =>
    send(ledger, { replica, agent: agents[replica.name], path: `/api/employees/${samples.employeeIds[0]}`, headers: finance, timeoutMs: CLIENT_TIMEOUT_MS, meta: { target: 'drain probe: GET /api/employees/:id (hr slow)', expect: [504, 200, 429, 502, 503] } });
  const faults = runFaults({ ctx, ledger, routers, durationMs: opts.durationMs, short: opts.short, drainProbe });
  const [loadState] = await Promise.all([load.done, orderRun?.done, faults.done]);
  const memory = rss.stop();
  const pressure = stall.stop();
  for (const agent of Object.values(agents)) agent.destroy();

  const killedPids = new Set(faults.windows.filter((w) => w.kind === 'kill').map((w) => w.pid));
  const faultedPids = new Set(faults.windows.filter((w) => w.pid).map((w) => w.pid));
  const exits = [];
  for (const r of replicas)
    for (const p of r.instances) if (exitOf(p) !== undefined && !faultedPids.has(p.child.pid)) exits.push(`${r.name} pid ${p.child.pid} exited (${p.child.signalCode ?? `code ${p.child.exitCode}`}), log ${p.logFile}`);
  if (exitOf(ctx.estate) !== undefined) exits.push(`the demo estate exited, log ${ctx.estate.logFile}`);
  if (exitOf(ctx.redis) !== undefined) exits.push('redis-server exited');

  if (orders.available) Object.assign(orders, { logical: orderRun.logical, ...(await ordersAtSales({ identity: ctx.identity, baselineTotal, logical: orderRun.logical, customerId: samples.customerId, sku: samples.sku })) });
  return {
    ledger,
    targets,
    orders,
    faults,
    killedPids,
    exits,
    skipped: loadState.reduce((n, s) => n + s.skipped, 0),
    stall,
    pressure,
    memory: judgeMemory(memory, { durationMs: opts.durationMs }),
  };
}

/** For an order attempt: every attempt of its Idempotency-Key, in order (where, when, what came back). */
function orderHistory(entries, e) {
  if (!e.orderKey) return undefined;
  return entries
    .filter((x) => x.orderKey === e.orderKey)
    .map((x) => `attempt ${x.attempt} ${x.id} → ${x.replica} (pid ${x.instance}) sent ${(x.sentAt / 1000).toFixed(2)} s, ${x.status ?? x.error} after ${Math.round(x.ms)} ms${x.replayed ? ' (replayed)' : ''}`);
}

/** The log lines about a bad answer — for an order attempt, about every attempt of its key, each on its replica. */
function evidenceLines(logDir, entries, e) {
  if (!e.orderKey) return linesAbout(logDir, e.replica, e.grep ?? e.id, e.max);
  return entries.filter((x) => x.orderKey === e.orderKey).flatMap((x) => linesAbout(logDir, x.replica, x.id, 3));
}

async function main() {
  const opts = options();
  const started = Date.now();
  try {
    ensureBuilt();
  } catch {
    console.error('load-fault: the build failed (see above); nothing was started');
    process.exit(1);
  }
  const problem = await preflight(root);
  if (problem) {
    console.error(`load-fault: ${problem}`);
    process.exit(1);
  }
  const logDir = mkdtempSync(join(tmpdir(), 'frontdoor-load-fault-'));
  const timeoutMs = opts.durationMs + (opts.short ? 100_000 : 180_000);
  let ctx;
  const abort = async (why, code) => {
    console.error(`\nload-fault: ${why}: stopping everything (logs kept in ${logDir})`);
    await Promise.race([Promise.all([stopAll(), stopCluster(ctx)]), new Promise((r) => setTimeout(r, 8000))]);
    process.exit(code);
  };
  process.once('SIGINT', () => abort('interrupted', 130)).once('SIGTERM', () => abort('terminated', 143)).once('exit', killAllNow);
  setTimeout(() => abort(`global timeout (${timeoutMs / 1000} s) reached`, 1), timeoutMs).unref();

  let run;
  try {
    ctx = await startCluster({ root, logDir, short: opts.short, log });
    run = await loadAndFaults(ctx, opts);
  } catch (error) {
    console.error(`load-fault: ${error.stack ?? error.message}`);
    await abort('the run could not complete', 1);
  }
  log('load over; stopping every process (SIGTERM: they drain and flush their logs)…');
  await stopAll();
  await stopCluster(ctx);

  const entries = run.ledger.all();
  const logs = readAccessLogs(logDir, Object.values(ctx.replicas).flat().map((r) => r.name), `lf-${run.ledger.runId}-`);
  const { results, flagged } = judge({
    stall: run.stall,
    entries,
    sentCount: run.ledger.seq,
    doubleRecords: run.ledger.doubleRecords,
    windows: run.faults.windows,
    logs,
    killedPids: run.killedPids,
    orders: run.orders,
    memory: run.memory,
    plan: run.faults.plan,
    exits: run.exits,
    settings: ctx.settings,
    durationMs: opts.durationMs,
    short: opts.short,
  });
  writeFileSync(join(logDir, 'ledger.jsonl'), entries.map((e) => JSON.stringify({ ...e, expect: undefined })).join('\n'));
  const evidence = flagged.slice(0, 12).map(({ e, what }) => ({ id: e.id, what, history: orderHistory(entries, e), lines: evidenceLines(logDir, entries, e) }));
  const failed = results.some((r) => r.status === FAIL);
  const report = renderReport({
    machine: describeMachine(root, { pins: { enabled: false, reason: 'shared machine' } }),
    short: opts.short,
    durationMs: opts.durationMs,
    wallMs: Date.now() - started,
    targets: run.targets,
    orderRps: ORDER_RPS,
    settings: ctx.settings,
    timeline: run.faults.timeline,
    entries,
    memory: run.memory,
    results,
    evidence,
    orders: run.orders,
    skipped: run.skipped,
    pressure: run.pressure,
  });
  writeFileSync(opts.report, report);
  printSummary({ results, entries, evidence, pressure: run.pressure, durationMs: opts.durationMs });
  log(`report: ${opts.report}; ${((Date.now() - started) / 1000).toFixed(0)} s in all`);
  if (failed || opts.keepLogs) log(`logs kept in ${logDir}`);
  else rmSync(logDir, { recursive: true, force: true });
  process.exit(failed ? 1 : 0);
}

void main();
