#!/usr/bin/env node
// The soak's load generator, run as its own process (pinned away from the servers, like wrk in the bench): closed-loop
// keep-alive clients over undici, driven by a JSON plan file (argv[2]). Two modes:
//   list — every request of `requests` once, in order, `concurrency` at a time (phase 1: filling caches and stores);
//   mix  — weighted targets for `seconds`, `connections` clients, plus bursts of `burst.connections` (phase 2).
// One JSON line per second on stdout with cumulative counters ({t, answered, s2xx…, errors, active}), so that the
// parent can read /proc at the same instant; a last line {final: true, …} with per-target counts and latencies.
// SIGTERM/SIGINT: stop, print the final line, exit. It also stops by itself at its own deadline.
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';

const plan = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const timeoutMs = plan.timeoutMs ?? 10_000;
const maxConnections = plan.mode === 'list' ? plan.concurrency : Math.max(plan.connections, plan.burst?.connections ?? 0);
const pool = new Pool(plan.origin, {
  connections: maxConnections,
  pipelining: 1,
  headersTimeout: timeoutMs,
  bodyTimeout: timeoutMs,
  keepAliveTimeout: 4_000,
});

// ---- counters -------------------------------------------------------------------------------------------------
const totals = { answered: 0, s2xx: 0, s3xx: 0, s4xx: 0, s5xx: 0, s429: 0, errors: 0 };
const errorKinds = {};
const perTarget = {};
const started = performance.now();
let active = 0;
let inBurst = false;
let stopping = false;

/** Log-scale latency histogram (µs), ~5 % resolution: p50/p99/max without keeping every sample. */
function histogram() {
  return { counts: new Map(), n: 0, max: 0 };
}
const bucketOf = (us) => Math.floor(Math.log(Math.max(us, 1)) / Math.log(1.05));
function record(h, us) {
  const b = bucketOf(us);
  h.counts.set(b, (h.counts.get(b) ?? 0) + 1);
  h.n += 1;
  if (us > h.max) h.max = us;
}
function quantile(h, q) {
  if (h.n === 0) return 0;
  const want = Math.ceil(h.n * q);
  let seen = 0;
  for (const b of [...h.counts.keys()].sort((x, y) => x - y)) {
    seen += h.counts.get(b);
    if (seen >= want) return Math.round(1.05 ** (b + 1));
  }
  return h.max;
}
const latency = { steady: histogram(), burst: histogram() };

function targetStats(name) {
  perTarget[name] ??= { requests: 0, s2xx: 0, s3xx: 0, s4xx: 0, s5xx: 0, errors: 0, bytes: 0, statuses: {} };
  return perTarget[name];
}

// ---- one request ----------------------------------------------------------------------------------------------
const items = []; // list mode with `record`: [status, bodyBytes] per request, in request order

async function send(req, index) {
  const t0 = performance.now();
  const stats = targetStats(req.name);
  stats.requests += 1;
  let status = 0;
  let bytes = 0;
  try {
    const res = await pool.request({
      path: req.path,
      method: req.method ?? 'GET',
      headers: req.headers,
      body: req.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = res.statusCode;
    for await (const chunk of res.body) bytes += chunk.length;
  } catch (error) {
    if (status === 0) {
      totals.errors += 1;
      stats.errors += 1;
      const kind = error.code ?? error.name ?? 'error';
      errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
      if (index !== undefined && plan.record) items[index] = [0, 0];
      return;
    }
    // the status arrived, the body broke off: an answer, but count the error too
    totals.errors += 1;
    errorKinds.body = (errorKinds.body ?? 0) + 1;
  }
  const us = (performance.now() - t0) * 1000;
  record(inBurst ? latency.burst : latency.steady, us);
  totals.answered += 1;
  const cls = `s${Math.floor(status / 100)}xx`;
  if (cls in totals) totals[cls] += 1;
  if (status === 429) totals.s429 += 1;
  if (cls in stats) stats[cls] += 1;
  stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
  stats.bytes += bytes;
  if (index !== undefined && plan.record) items[index] = [status, bytes];
}

// ---- reporting ------------------------------------------------------------------------------------------------
const elapsed = () => (performance.now() - started) / 1000;
const line = (extra) => process.stdout.write(`${JSON.stringify({ t: Number(elapsed().toFixed(3)), ...totals, active, burst: inBurst, ...extra })}\n`);

let ticker;
function startTicker() {
  line();
  ticker = setInterval(() => line(), 1000);
}

let finished = false;
async function finish(reason) {
  if (finished) return;
  finished = true;
  stopping = true;
  clearInterval(ticker);
  // let in-flight requests end (they time out at timeoutMs at worst)
  const until = Date.now() + Math.min(timeoutMs, 5000);
  while (active > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  const lat = (h) => ({ n: h.n, p50Us: quantile(h, 0.5), p99Us: quantile(h, 0.99), maxUs: Math.round(h.max) });
  line({ final: true, reason, seconds: elapsed(), errorKinds, perTarget, latency: { steady: lat(latency.steady), burst: lat(latency.burst) }, items: plan.record ? items : undefined });
  await pool.destroy().catch(() => {});
  process.exit(0);
}
process.once('SIGTERM', () => void finish('signal'));
process.once('SIGINT', () => void finish('signal'));

// ---- list mode ------------------------------------------------------------------------------------------------
async function runList() {
  let next = 0;
  const worker = async () => {
    while (!stopping && next < plan.requests.length) {
      const i = next++;
      active += 1;
      try {
        await send(plan.requests[i], i);
      } finally {
        active -= 1;
      }
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, worker));
  await finish('done');
}

// ---- mix mode -------------------------------------------------------------------------------------------------
/** Deterministic PRNG (mulberry32): the same seed gives the same sequence of targets for settings A and B. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function runMix() {
  const random = prng(plan.seed ?? 1);
  const targets = plan.targets.map((t) => ({ ...t, n: 0 }));
  const total = targets.reduce((s, t) => s + t.weight, 0);
  const fill = (text, n) => (typeof text === 'string' ? text.replaceAll('{n}', String(n)) : text);
  const pick = () => {
    let r = random() * total;
    const t = targets.find((x) => (r -= x.weight) < 0) ?? targets.at(-1);
    const n = t.n++;
    const headers = { ...(t.headerSets ? t.headerSets[n % t.headerSets.length] : {}), ...(t.headers ?? {}) };
    for (const [k, v] of Object.entries(t.uniqueHeaders ?? {})) headers[k] = fill(v, n);
    return { name: t.name, method: t.method, path: fill(t.paths[n % t.paths.length], n), headers, body: t.body };
  };
  let level = 0; // clients that should run: ids 0 … level-1
  const running = new Set();
  const client = async (id) => {
    running.add(id);
    try {
      while (!stopping && id < level) {
        active += 1;
        try {
          await send(pick());
        } finally {
          active -= 1;
        }
      }
    } finally {
      running.delete(id);
    }
  };
  const setLevel = (n) => {
    level = n;
    for (let id = 0; id < n; id += 1) if (!running.has(id)) void client(id);
  };
  startTicker();
  setLevel(plan.connections);
  const { burst } = plan;
  if (burst && burst.connections > plan.connections && burst.seconds > 0 && burst.every > 0) {
    for (let at = burst.firstAt; at + burst.seconds <= plan.seconds + 1e-9; at += burst.every) {
      setTimeout(() => {
        inBurst = true;
        setLevel(burst.connections);
      }, at * 1000);
      setTimeout(() => {
        inBurst = false;
        level = plan.connections; // extra clients end after their current request
      }, (at + burst.seconds) * 1000);
    }
  }
  setTimeout(() => void finish('done'), plan.seconds * 1000);
}

// the deadline of last resort: never outlive the plan by much, even if the parent is gone
const deadlineS = plan.mode === 'list' ? (plan.deadlineS ?? 900) : plan.seconds + 60;
setTimeout(() => void finish('deadline'), deadlineS * 1000).unref();

if (plan.mode === 'list') {
  startTicker();
  void runList();
} else runMix();
