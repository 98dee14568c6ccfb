#!/usr/bin/env node
// The Frontdoor soak (`npm run bench:soak`): evidence for "RSS per app under load ≤ 150 MiB, flat over a soak" and for
// the V8 flags that would ship in the Dockerfiles (NODE_OPTIONS). Per app and per node-options setting, on a fresh
// app process: phase 1 fills the app's bounded in-process state (web-bff's response cache up to CACHE_MAX_BYTES, the
// verified-token LRU, partner idempotency records), phase 2 runs a steady mixed load with bursts while /proc (RSS,
// CPU) is read every second and /metrics (V8 heap) every few seconds. A process that dies (an out-of-memory abort
// above all) or a 5xx answer fails the run and the exit code is 1.
// Everything listens on 127.0.0.1 on ephemeral ports; every process started here is stopped at the end, on errors and
// on Ctrl-C. Read-only on the repo (the apps are built only when a bundle is missing, or with --build).
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArgError, envPair } from './lib/args.mjs';
import { partnerKey, startJwks } from './lib/auth.mjs';
import { APPS, buildApps, staleBundles, startApp, upstreamEnv } from './lib/gateways.mjs';
import { describeMachine } from './lib/machine.mjs';
import { firstJsonLine, onInterrupt, pinningPlan, start, stop, stopAll, unlessExited } from './lib/procs.mjs';
import { cpuMicros, rssKiB } from './lib/proc-stat.mjs';
import { renderSoakReport, summarizeRun } from './lib/soak-report.mjs';
import { ALL_ROLES, fillSteps, mixTargets, webPagePath } from './lib/soak-workload.mjs';
import { BENCH_LIMITS } from './lib/trees.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const log = (line) => process.stderr.write(`soak: ${line}\n`);
const WORKER = join(root, 'tools/bench/lib/soak-load.mjs');

const USAGE = `Usage: node tools/bench/soak.mjs [options]          (npm run bench:soak -- [options])

  --app web|mobile|partner|all   which app(s) (default all; several: web,partner)
  --seconds N                    phase 2 duration per run (default 120)
  --node-options "..."           NODE_OPTIONS of the apps (default: none, V8's defaults), setting A
  --compare-node-options "..."   also run setting B, right after A for each app, same workload and seed
  --connections C                phase 2 keep-alive connections, closed loop (default 8)
  --burst-connections B          connections during bursts (default 64; 0 = no bursts)
  --burst-seconds S              burst length (default 5)
  --burst-every S                one burst every S seconds (default 30; the first at S/2)
  --fill-tokens N                web, mobile: distinct user tokens verified in phase 1 (default 10000 = the verified-
                                 token LRU's capacity; signing costs ~1.4 ms each, once per soak)
  --fill-orders N                partner: orders placed with distinct Idempotency-Keys in phase 1 (default 10000)
  --fill-factor F                web: bodies requested in phase 1 as a multiple of CACHE_MAX_BYTES (default 1.25)
  --limit-mib M                  RSS target (default 150)
  --flat-mib M                   "flat": last-window median minus first-window median below M MiB (default 10)
  --env K=V                      extra environment for every app (repeatable), e.g. CACHE_MAX_BYTES=16777216
  --metrics-every S              /metrics scrape period in phase 2 (default 5)
  --seed N                       workload seed (default 1)
  --out FILE                     report (default tmp/bench/soak.md; raw samples next to it as .json)
  --build                        run the Nx build first (default: only when a bundle is missing)
  --no-pin                       no taskset pinning (default: servers on CPU 0, load generator on CPU 1)
  --partner-key KEY              partner API key (default: made with tools/keys into the temp dir)
  --keep-tmp                     keep the temp dir (app logs, stderr, worker plans)
  --help

Exit code: 0 when every app ran through without dying and without a 5xx; 1 otherwise; 2 for a bad command line.
`;

function parseArgs(argv) {
  const o = {
    apps: APPS,
    seconds: 120,
    nodeOptions: '',
    compare: undefined,
    connections: 8,
    burstConnections: 64,
    burstSeconds: 5,
    burstEvery: 30,
    fillTokens: 10_000,
    fillOrders: 10_000,
    fillFactor: 1.25,
    limitMiB: 150,
    flatMiB: 10,
    metricsEvery: 5,
    seed: 1,
    env: {},
    out: 'tmp/bench/soak.md',
    build: 'missing',
    pin: true,
    keepTmp: false,
    partnerKey: process.env.BENCH_PARTNER_KEY,
  };
  const num = (name, v, { min = 0, integer = false } = {}) => {
    const n = Number(v);
    if (v === '' || !Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) throw new ArgError(`${name} needs a ${integer ? 'whole ' : ''}number ≥ ${min}, got ${JSON.stringify(v)}`);
    return n;
  };
  for (let i = 0; i < argv.length; i += 1) {
    let a = argv[i];
    let inline;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) [a, inline] = [a.slice(0, eq), a.slice(eq + 1)];
    const next = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) throw new ArgError(`${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--help':
      case '-h':
        o.help = true;
        break;
      case '--app': {
        const v = next();
        const names = v === 'all' ? APPS : v.split(',').map((x) => (x.endsWith('-bff') ? x : `${x}-bff`));
        for (const n of names) if (!APPS.includes(n)) throw new ArgError(`--app: unknown app ${JSON.stringify(n)} (web, mobile, partner, all)`);
        o.apps = APPS.filter((x) => names.includes(x));
        break;
      }
      case '--seconds':
        o.seconds = num(a, next(), { min: 5 });
        break;
      case '--node-options':
        o.nodeOptions = next().trim();
        break;
      case '--compare-node-options':
        o.compare = next().trim();
        break;
      case '--connections':
        o.connections = num(a, next(), { min: 1, integer: true });
        break;
      case '--burst-connections':
        o.burstConnections = num(a, next(), { integer: true });
        break;
      case '--burst-seconds':
        o.burstSeconds = num(a, next(), { min: 1 });
        break;
      case '--burst-every':
        o.burstEvery = num(a, next(), { min: 2 });
        break;
      case '--fill-tokens':
        o.fillTokens = num(a, next(), { integer: true });
        break;
      case '--fill-orders':
        o.fillOrders = num(a, next(), { integer: true });
        break;
      case '--fill-factor':
        o.fillFactor = num(a, next(), { min: 0 });
        break;
      case '--limit-mib':
        o.limitMiB = num(a, next(), { min: 1 });
        break;
      case '--flat-mib':
        o.flatMiB = num(a, next(), { min: 0 });
        break;
      case '--metrics-every':
        o.metricsEvery = num(a, next(), { min: 1 });
        break;
      case '--seed':
        o.seed = num(a, next(), { integer: true });
        break;
      case '--env': {
        const [k, v] = envPair(next());
        o.env[k] = v;
        break;
      }
      case '--out':
        o.out = next();
        break;
      case '--build':
        o.build = 'always';
        break;
      case '--no-pin':
        o.pin = false;
        break;
      case '--partner-key':
        o.partnerKey = next();
        break;
      case '--keep-tmp':
        o.keepTmp = true;
        break;
      default:
        throw new ArgError(`unknown option ${argv[i]}`);
    }
  }
  o.burstFirstAt = o.burstEvery / 2;
  return o;
}

// ---- the app's configuration defaults, read from the config lib (so a changed default is followed) ---------------
function configDefault(name, fallback) {
  try {
    const text = readFileSync(join(root, 'libs/config/src/frontdoor.schema.ts'), 'utf8');
    const m = new RegExp(`'${name}',\\s*'(\\d+)'`).exec(text);
    return m ? Number(m[1]) : fallback;
  } catch {
    return fallback;
  }
}

// ---- /metrics -------------------------------------------------------------------------------------------------
async function scrape(url) {
  const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(3000) });
  const text = await res.text();
  const value = (re) => {
    const m = re.exec(text);
    return m ? Number(m[1]) : undefined;
  };
  const lookups = {};
  for (const m of text.matchAll(/^response_cache_lookups_total\{route="([^"]+)",result="(\w+)"[^}]*\}\s+(\S+)$/gm)) lookups[`${m[1]}|${m[2]}`] = Number(m[3]);
  return {
    heapUsed: value(/^nodejs_heap_size_used_bytes(?:\{[^}]*\})?\s+(\S+)$/m),
    heapTotal: value(/^nodejs_heap_size_total_bytes(?:\{[^}]*\})?\s+(\S+)$/m),
    oldUsed: value(/^nodejs_heap_space_size_used_bytes\{space="old"[^}]*\}\s+(\S+)$/m),
    external: value(/^nodejs_external_memory_bytes(?:\{[^}]*\})?\s+(\S+)$/m),
    lookups,
  };
}

/** V8's heap limit for these NODE_OPTIONS on this machine (a container's memory limit would change the default). */
function heapLimitOf(nodeOptions) {
  const out = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(require("v8").getHeapStatistics().heap_size_limit))'], {
    env: { PATH: process.env.PATH, NODE_OPTIONS: nodeOptions },
    encoding: 'utf8',
    timeout: 10_000,
  });
  return out.status === 0 ? Number(out.stdout) : undefined;
}

// ---- the load worker --------------------------------------------------------------------------------------------
let planCounter = 0;
/**
 * Runs tools/bench/lib/soak-load.mjs with `plan` (written to a file in `dir`), calls `onLine` for every per-second
 * line; resolves the final line. `control.stop()` ends it early (SIGTERM: it still prints its final line).
 */
function runWorker(plan, { dir, cpu, onLine, control }) {
  const file = join(dir, `plan-${++planCounter}.json`);
  writeFileSync(file, JSON.stringify(plan), { mode: 0o600 });
  const entry = start('soak-load', process.execPath, [WORKER, file], { cpu, stdout: 'pipe' });
  if (control) control.stop = () => entry.child.kill('SIGTERM');
  return new Promise((resolvePromise, reject) => {
    let buffered = '';
    let final;
    entry.child.stdout.on('data', (chunk) => {
      buffered += chunk.toString();
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const text = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        let msg;
        try {
          msg = JSON.parse(text);
        } catch {
          continue;
        }
        if (msg.final) final = msg;
        else onLine?.(msg);
      }
    });
    entry.child.once('exit', (code, signal) => {
      if (!plan.keepPlan) rmSync(file, { force: true });
      if (final) resolvePromise(final);
      else reject(new Error(`load worker ended without its figures (${signal ?? `code ${code}`}): ${entry.stderrTail.trim().slice(-800)}`));
    });
  });
}

// ---- one run: one app, one setting --------------------------------------------------------------------------------
async function soakOne(ctx, app, setting, nodeOptions) {
  const { dir, pins, options, estate } = ctx;
  const run = { app, setting, nodeOptions, heapLimit: heapLimitOf(nodeOptions), fill: [], samples: [], heapSamples: [] };
  const tag = `${app.replace('-bff', '')}-${setting}`;
  const logFile = join(dir, `${tag}.log`);
  const stderrFile = join(dir, `${tag}.stderr`);
  const env = { ...upstreamEnv(estate.ports), ...BENCH_LIMITS, ...estate.jwks.env, ...estate.key.env, ...options.env };
  env.NODE_OPTIONS = nodeOptions; // '' = V8's own defaults (startApp would otherwise apply the images' flags)
  log(`${app} [${nodeOptions || 'default flags'}]: starting…`);
  let gw;
  try {
    gw = await startApp(root, app, { label: `${app} [${setting}]`, env, cpu: pins.server, logFile });
  } catch (error) {
    run.startError = String(error.message ?? error);
    log(`${app}: did not start: ${run.startError.split('\n')[0]}`);
    return run;
  }
  let phase = 'phase 1 (fill)';
  let stoppedByUs = false;
  let stderrText = gw.entry.stderrTail;
  gw.entry.child.stderr.on('data', (chunk) => {
    stderrText = (stderrText + chunk.toString()).slice(-64_000);
    appendFileSync(stderrFile, chunk);
  });
  const control = {};
  let exited = false;
  gw.entry.child.once('exit', (code, signal) => {
    exited = true;
    if (stoppedByUs) return;
    run.died = { code, signal, phase, oom: false, stderr: '' };
    control.stop?.(); // the load worker stops and hands over its figures
    // the stderr pipe may deliver the last words (V8's "heap out of memory" report) just after the exit event
    setTimeout(() => {
      run.died.oom = /heap out of memory|Reached heap limit|Allocation failed/i.test(stderrText);
      run.died.stderr = stderrText.slice(-4000);
      log(`!!! ${app} [${nodeOptions || 'default flags'}] DIED during ${run.died.phase}: ${signal ?? `code ${code}`}${run.died.oom ? ' — JavaScript heap out of memory' : ''}`);
    }, 300);
  });
  const alive = () => !exited && gw.entry.child.exitCode === null && gw.entry.child.signalCode === null;
  const rss = () => {
    try {
      return rssKiB([gw.pid]) || NaN;
    } catch {
      return NaN;
    }
  };
  const cpu = () => {
    try {
      return cpuMicros([gw.pid]);
    } catch {
      return NaN;
    }
  };

  try {
    run.idleKiB = rss();
    // ---- phase 1 ----
    const token0 = estate.tokens[0];
    let pageBytes = 0;
    if (app === 'web-bff') {
      // one page as the app answers it (redacted JSON, the bytes its cache keeps), on a key outside the fill set
      const res = await fetch(`${gw.url}/api/inventory/products?limit=100&offset=0&q=size-probe`, { headers: { authorization: `Bearer ${token0}` } });
      pageBytes = (await res.arrayBuffer()).byteLength;
      if (res.status !== 200) throw new Error(`web-bff page probe answered ${res.status}`);
    }
    const steps = fillSteps(app, { tokens: estate.tokens, apiKey: estate.key.key, fillTokens: options.fillTokens, fillOrders: options.fillOrders, cache: ctx.cache, pageBytes, fillFactor: options.fillFactor });
    run.fillWhat =
      app === 'web-bff'
        ? `response cache (CACHE_MAX_BYTES ${(ctx.cache.maxBytes / 2 ** 20).toFixed(1)} MiB, CACHE_MAX_ENTRIES ${ctx.cache.maxEntries}) and verified-token LRU`
        : app === 'mobile-bff'
          ? 'no response cache in this app: the verified-token LRU'
          : 'no response cache in this app: in-memory Idempotency-Key records';
    for (const step of steps) {
      if (!alive()) break;
      log(`${app}: phase 1: ${step.label}…`);
      const t0 = Date.now();
      const final = await runWorker({ mode: 'list', origin: gw.url, concurrency: step.concurrency, requests: step.requests, record: step.record, deadlineS: 900 }, { dir, cpu: pins.load, control });
      const f = { id: step.id, label: step.label, final: { ...final, items: undefined }, seconds: (Date.now() - t0) / 1000, rssAfterKiB: rss() };
      run.fill.push(f);
      if (step.id === 'cache' && alive()) run.cacheCheck = await checkCache(gw.url, step, final.items, { pageBytes, cache: ctx.cache, token: token0, fillSeconds: f.seconds });
    }
    run.fillEndKiB = rss();
    if (alive()) run.fillHeap = await scrape(gw.url).catch(() => undefined);
    log(`${app}: phase 1 done: RSS ${(run.fillEndKiB / 1024).toFixed(0)} MiB${run.cacheCheck ? `, cache ${run.cacheCheck.full ? 'full' : 'NOT shown full'} (${run.cacheCheck.probeHits}/${run.cacheCheck.probes} hits, oldest ${run.cacheCheck.oldestMiss ? 'evicted' : 'still there'})` : ''}`);

    // ---- phase 2 ----
    if (alive()) {
      phase = 'phase 2 (steady load + bursts)';
      const fillPages = steps.find((s) => s.id === 'cache')?.requests.length ?? 0;
      const plan = {
        mode: 'mix',
        origin: gw.url,
        seconds: options.seconds,
        connections: options.connections,
        burst: options.burstConnections > options.connections ? { connections: options.burstConnections, seconds: options.burstSeconds, every: options.burstEvery, firstAt: options.burstFirstAt } : undefined,
        seed: options.seed,
        timeoutMs: 10_000,
        targets: mixTargets(app, { tokens: estate.tokens, apiKey: estate.key.key, fillPages, salt: `${setting}${ctx.runId}` }),
      };
      run.mix = plan.targets.map((t) => ({ name: t.name, weight: t.weight }));
      log(`${app}: phase 2: ${options.seconds} s…`);
      let metricsBusy = false;
      const t0 = Date.now();
      const metricsTimer = setInterval(() => {
        if (metricsBusy || !alive()) return;
        metricsBusy = true;
        scrape(gw.url)
          .then((m) => run.heapSamples.push({ t: (Date.now() - t0) / 1000, heapUsed: m.heapUsed, heapTotal: m.heapTotal, oldUsed: m.oldUsed, external: m.external }))
          .catch(() => {})
          .finally(() => (metricsBusy = false));
      }, options.metricsEvery * 1000);
      let lastPrint = 0;
      const onLine = (l) => {
        const sample = { t: l.t, rssKiB: rss(), cpuUs: cpu(), answered: l.answered, s5xx: l.s5xx, s4xx: l.s4xx, errors: l.errors, active: l.active, burst: l.burst };
        run.samples.push(sample);
        if (l.t - lastPrint >= 10) {
          lastPrint = l.t;
          log(`${app} t=${l.t.toFixed(0)} s  RSS ${(sample.rssKiB / 1024).toFixed(0)} MiB  ${l.answered} answers  5xx ${l.s5xx}  errors ${l.errors}${l.burst ? '  (burst)' : ''}`);
        }
      };
      try {
        // when the app dies the worker is stopped (control.stop) and still hands over its figures
        run.steady = { final: await runWorker(plan, { dir, cpu: pins.load, onLine, control }) };
      } finally {
        clearInterval(metricsTimer);
      }
    }
    run.endKiB = rss();
  } finally {
    stoppedByUs = alive();
    phase = 'stop';
    await stop(gw.entry);
    if (run.died) await new Promise((r) => setTimeout(r, 400)); // its stderr read (above)
    const grep = spawnSync('grep', ['-cE', '"level":"(error|fatal)"', logFile], { encoding: 'utf8' });
    run.loggedErrors = Number(grep.stdout.trim()) || 0;
  }
  return run;
}

/**
 * After the page fill: which pages should still be in the LRU (the newest ones whose bodies add up to at most
 * CACHE_MAX_BYTES, and at most CACHE_MAX_ENTRIES of them), and a probe: a sample of the newest must be hits, the
 * oldest a miss (evicted) — read from the app's own response_cache_lookups_total counter.
 */
async function checkCache(url, step, items, { pageBytes, cache, token, fillSeconds }) {
  const route = 'GET /api/inventory/products';
  const ok = items.map((it, i) => ({ i, status: it?.[0], bytes: it?.[1] ?? 0 })).filter((x) => x.status === 200);
  const bytesRequested = ok.reduce((s, x) => s + x.bytes, 0);
  let residentBytes = 0;
  let resident = 0;
  for (let k = ok.length - 1; k >= 0; k -= 1) {
    if (residentBytes + ok[k].bytes > cache.maxBytes || resident + 1 > cache.maxEntries) break;
    residentBytes += ok[k].bytes;
    resident += 1;
  }
  const binding = resident >= cache.maxEntries ? `CACHE_MAX_ENTRIES ${cache.maxEntries}` : `CACHE_MAX_BYTES ${cache.maxBytes}`;
  const headers = { authorization: `Bearer ${token}` };
  const count = async () => {
    const m = await scrape(url);
    return { hit: m.lookups[`${route}|hit`] ?? 0, miss: m.lookups[`${route}|miss`] ?? 0 };
  };
  // sample up to 20 pages evenly among the newest 90 % of the expected resident set (hits move them up the LRU and
  // evict nothing), then the oldest page (a miss inserts it, evicting the least recent resident page)
  const newest = ok.slice(ok.length - Math.floor(resident * 0.9));
  const sample = newest.length <= 20 ? newest : Array.from({ length: 20 }, (_, j) => newest[Math.floor((j * (newest.length - 1)) / 19)]);
  const before = await count();
  for (const x of sample) await (await fetch(url + step.requests[x.i].path, { headers })).arrayBuffer();
  const mid = await count();
  const oldest = ok[0];
  if (oldest) await (await fetch(url + step.requests[oldest.i].path, { headers })).arrayBuffer();
  const after = await count();
  const probeHits = mid.hit - before.hit;
  const oldestMiss = oldest ? after.miss - mid.miss === 1 : false;
  return {
    pages: items.length,
    pagesOk: ok.length,
    bytesRequested,
    pageBytes,
    expectedResident: resident,
    expectedResidentBytes: residentBytes,
    binding,
    probes: sample.length,
    probeHits,
    oldestMiss,
    fillSeconds,
    full: bytesRequested > Math.min(cache.maxBytes, cache.maxEntries * pageBytes) && probeHits === sample.length && oldestMiss && fillSeconds <= 25,
  };
}

// ---- main -------------------------------------------------------------------------------------------------------
async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.help) return process.stdout.write(USAGE);
  if (!existsSync('/proc/self/status')) throw new Error('needs Linux /proc');
  const missing = APPS.filter((a) => !existsSync(join(root, 'dist/apps', a, 'main.js')));
  if (options.build === 'always' || missing.length) {
    log(`building the apps${missing.length ? ` (missing: ${missing.join(', ')})` : ''}…`);
    buildApps(root);
  } else {
    const stale = staleBundles(root).filter((a) => options.apps.includes(a));
    if (stale.length) log(`note: dist bundles older than sources for ${stale.join(', ')} — measuring dist as it is (--build to rebuild)`);
  }
  const pinPlan = pinningPlan();
  const pins = options.pin && pinPlan.enabled ? pinPlan : { enabled: false, reason: options.pin ? pinPlan.reason : '--no-pin' };
  const dir = mkdtempSync(join(tmpdir(), 'frontdoor-soak-'));
  if (!options.keepTmp) onInterrupt(() => rmSync(dir, { recursive: true, force: true }));
  const cache = {
    maxBytes: Number(options.env.CACHE_MAX_BYTES ?? configDefault('CACHE_MAX_BYTES', 33_554_432)),
    maxEntries: Number(options.env.CACHE_MAX_ENTRIES ?? configDefault('CACHE_MAX_ENTRIES', 1000)),
  };
  const runs = [];
  let jwks;
  try {
    const upstream = start('bench-upstream', process.execPath, [join(root, 'tools/bench/upstream.mjs')], { cpu: pins.server, stdout: 'pipe' });
    const { ports } = await unlessExited(upstream, firstJsonLine(upstream));
    jwks = await startJwks();
    const key = options.apps.includes('partner-bff') ? partnerKey(root, dir, options.partnerKey) : { key: undefined, env: {}, how: 'not needed' };
    if (options.apps.includes('partner-bff') && !key.key) throw new Error(`no partner API key: ${key.how}`);
    const userApps = options.apps.some((a) => a !== 'partner-bff');
    const tokenCount = userApps ? Math.max(options.fillTokens, 64) : 1;
    log(`signing ${tokenCount} user tokens…`);
    const tokens = [];
    for (let i = 0; i < tokenCount; i += 1) tokens.push(await jwks.sign(`soak-user-${String(i).padStart(5, '0')}`, ALL_ROLES));
    const meta = describeMachine(root, { pins: pins.enabled ? pins : { enabled: false, reason: pins.reason } });
    // what is measured is dist/, which may predate the working tree's latest edits: say when each bundle was built
    meta.bundles = options.apps.map((a) => `${a} ${statSync(join(root, 'dist/apps', a, 'main.js')).mtime.toISOString().replace(/\.\d+Z$/, 'Z')}`).join(', ');
    meta.pinning = pins.enabled ? `the bench upstream and the app on CPU ${pins.server}, the load generator on CPU ${pins.load} (taskset)` : `none (${pins.reason})`;
    log(`temp dir ${dir}; pinning: ${pins.enabled ? `servers on CPU ${pins.server}, load on CPU ${pins.load}` : pins.reason}`);
    const ctx = { dir, pins, options, cache, runId: Date.now().toString(36), estate: { ports, jwks, key, tokens } };
    const settings = [['A', options.nodeOptions], ...(options.compare !== undefined ? [['B', options.compare]] : [])];
    for (const app of options.apps) {
      for (const [setting, nodeOptions] of settings) runs.push(await soakOne(ctx, app, setting, nodeOptions));
    }
    await stop(upstream);

    const appEnv = { ...BENCH_LIMITS, CACHE_MAX_BYTES: cache.maxBytes, CACHE_MAX_ENTRIES: cache.maxEntries, ...options.env };
    const notes = [
      'Only web-bff has a response cache (PassThroughModule in apps/web-bff; libs/upstream MemoryCacheStore: an LRU bounded by CACHE_MAX_ENTRIES, default 1000, and CACHE_MAX_BYTES of bodies, default 32 MiB; answers over a quarter of the byte bound are never kept). With the default 1000 entries, ~1 KB rows never get near 32 MiB: the byte bound is reached only with large answers, so phase 1 uses 100-product pages (~97 KiB each) of GET /api/inventory/products (cached 30 s, shared), each with a distinct query string. mobile-bff and partner-bff have no response cache.',
      'Cached bodies are Buffers: they live outside the V8 heap (counted in "external"), so --max-old-space-size does not bound them; a full cache adds its CACHE_MAX_BYTES to RSS whatever the flag. Cached copies stay in memory past their TTL (kept stale for up to min(10 × TTL, CACHE_STALE_MAX_S)) until evicted or met.',
      'The verified-token LRU keeps up to 10,000 tokens (libs/auth ExpiringLru); partner Idempotency-Key records are kept 24 h in memory without REDIS_URL (libs/idempotency MemoryIdempotencyStore, ~1.2 KB of heap each), up to 10,000 live records per partner (past which that partner\'s new key is a 429: with the default --fill-orders 10000, phase 2\'s new-key orders are 429s) and 100,000 in all (503 past it): partner RSS grows with its order volume up to those bounds (~12 MiB of heap per partner, ~120 MiB in all: with REDIS_URL, as in deploy/, they live in Redis).',
      `V8's default heap limit depends on the memory it sees: on this ${meta.memGiB} GiB machine it is ${((heapLimitOf('') ?? NaN) / 2 ** 20).toFixed(0)} MiB; in a container with a memory limit (deploy/k8s: 256Mi) Node sizes the default heap from that limit, so "default flags" here are not what a pod gets.`,
      'CPU µs/req = (utime + stime of the app process, all threads, /proc/<pid>/stat) over answers in phase 2; "burst" = seconds that ended inside a burst. RSS = VmRSS every second. The mix is weighted and seeded (the same sequence for A and B); the workload per app is in tools/bench/lib/soak-workload.mjs.',
      `Upstream: tools/bench/upstream.mjs (fixed payloads: ${500} products, pages up to 100, any query string); it shares CPU 0 with the app, which lowers req/s but not the app's own CPU per request.`,
    ];
    const summaries = runs.map((r) => summarizeRun(r, { limitMiB: options.limitMiB, flatMiB: options.flatMiB }));
    const reportOptions = { ...options, appEnv, notes };
    const report = renderSoakReport({ meta, options: reportOptions, runs: summaries });
    const file = resolve(root, options.out);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, report);
    writeFileSync(file.replace(/\.md$/, '') + '.json', JSON.stringify({ meta, options: reportOptions, runs }, null, 1));
    process.stdout.write(report);
    log(`report written to ${file}`);
    const failed = summaries.filter((s) => s.startError || s.died || s.errors.s5xx > 0);
    if (failed.length) {
      process.stderr.write(`\nsoak FAILED: ${failed.map((s) => `${s.app} [${s.nodeOptions || 'default'}]: ${s.verdict.text.replaceAll('*', '')}`).join('; ')}\n`);
      process.exitCode = 1;
    }
  } finally {
    await stopAll();
    await jwks?.close();
    if (!options.keepTmp) rmSync(dir, { recursive: true, force: true });
    else log(`kept ${dir}`);
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  async (error) => {
    if (error instanceof ArgError) {
      process.stderr.write(`soak: ${error.message} (see --help)\n`);
      process.exit(2);
    }
    process.stderr.write(`soak: ${error.stack ?? error}\n`);
    await stopAll();
    process.exit(1);
  },
);
