// Medians over repetitions, ratios to the direct call and to nginx, the issue's targets, and the Markdown report.

export function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/**
 * The `p`-th percentile (0–100) of the requests of every run together, from their wrk histograms ([[µs, count], …]);
 * NaN when a run has none (autocannon, older raw files). One p99 over 25,000 requests says more than the median of
 * five p99s over 5,000 each, which mostly records whether a V8 major GC fell in a given 5 s window.
 */
export function pooledPercentile(histograms, p) {
  if (histograms.length === 0 || histograms.some((h) => !Array.isArray(h))) return NaN;
  const counts = new Map();
  for (const h of histograms) for (const [us, n] of h) counts.set(us, (counts.get(us) ?? 0) + n);
  const values = [...counts.keys()].sort((a, b) => a - b);
  const total = values.reduce((a, us) => a + counts.get(us), 0);
  if (total === 0) return NaN;
  const rank = Math.ceil((p / 100) * total);
  let seen = 0;
  for (const us of values) {
    seen += counts.get(us);
    if (seen >= rank) return us;
  }
  return values[values.length - 1];
}

const FIELDS = ['rps', 'p50Us', 'p99Us', 'gwCpuUs', 'gwMainUs', 'upCpuUs', 'rssMaxKiB', 'rssEndKiB', 'logBytes', 'rateP50Us', 'rateP99Us', 'rateGwCpuUs', 'rateUpCpuUs', 'rateRps'];

/** Per variant: medians of every field, min/max of gateway CPU, error totals, and whether it failed under load. */
export function summarize(variants, runs) {
  const out = {};
  for (const v of variants) {
    const mine = runs.filter((r) => r.id === v.id);
    if (mine.length === 0) continue;
    const s = { id: v.id, variant: v, runs: mine.length };
    for (const f of FIELDS) s[f] = median(mine.map((r) => r[f]));
    const cpu = mine.map((r) => (v.gateway.kind === 'none' ? r.upCpuUs : r.gwCpuUs)).filter(Number.isFinite);
    s.cpuMin = Math.min(...cpu);
    s.cpuMax = Math.max(...cpu);
    s.requests = mine.reduce((a, r) => a + r.requests, 0);
    s.errors = mine.reduce((a, r) => a + r.non2xx + r.socketErrors + (r.rateErrors ?? 0), 0);
    s.failed = s.errors > 0.001 * s.requests ? `${s.errors} errors or non-2xx answers in ${s.requests} requests${mine.find((r) => r.errorStatus)?.errorStatus ? ` (e.g. status ${mine.find((r) => r.errorStatus).errorStatus})` : ''}` : undefined;
    s.cpuByRep = Object.fromEntries(mine.map((r) => [r.rep, v.gateway.kind === 'none' ? r.upCpuUs : r.gwCpuUs]));
    s.rateP99PooledUs = pooledPercentile(mine.filter((r) => Number.isFinite(r.rateP99Us)).map((r) => r.rateHistogram), 99);
    s.rssEndFirst = mine[0].rssEndKiB;
    s.rssEndLast = mine[mine.length - 1].rssEndKiB;
    out[v.id] = s;
  }
  return out;
}

/** The CPU figure of a variant: the gateway's, or for the direct call the upstream's own. */
const cpuOf = (s) => (s.variant.gateway.kind === 'none' ? s.upCpuUs : s.gwCpuUs);
const rssOf = (s) => s.rssMaxKiB;

const f0 = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const ms = (us) => (Number.isFinite(us) ? (us / 1000).toFixed(2) : '–');
const mib = (kib) => (Number.isFinite(kib) ? (kib / 1024).toFixed(0) : '–');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '–');

/**
 * The CPU ratio a/b repetition by repetition (the two ran minutes apart at most, under the same background load):
 * "per repetition: median M×, min–max" — on a shared machine the spread says how far a ratio of medians can be trusted.
 */
function perRep(a, b) {
  const ratios = Object.keys(a.cpuByRep ?? {})
    .filter((rep) => Number.isFinite(a.cpuByRep[rep]) && b.cpuByRep?.[rep] > 0)
    .map((rep) => a.cpuByRep[rep] / b.cpuByRep[rep]);
  if (ratios.length < 2) return '';
  return ` (per repetition: median ${median(ratios).toFixed(2)}×, ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}×)`;
}

/**
 * The share of the servers' core busy at the fixed rate: gateway + upstream CPU per request × requests/s (both are
 * pinned to that core). Runs without the upstream's figure at the rate (older raw files) use its saturation figure.
 */
function busyAtRate(x) {
  const up = Number.isFinite(x.rateUpCpuUs) ? x.rateUpCpuUs : x.upCpuUs;
  const gw = x.variant.gateway.kind === 'none' ? 0 : x.rateGwCpuUs;
  return ((gw + up) * x.rateRps) / 1e6;
}

/**
 * At or past this share of its core a variant is saturated at the fixed rate: its p99 is the queue of a server that
 * cannot keep up, not the latency of the hop at a load it carries. Below it a dearer gateway's higher utilisation
 * and the queueing that follows are the gateway's own cost, and count.
 */
const SATURATED = 0.9;

function verdict(value, limit) {
  if (!Number.isFinite(value)) return 'not measurable yet';
  return value <= limit ? '**met**' : '**not met**';
}

/** The issue's targets, evaluated on the summaries (and the profile, when one was taken). */
export function targets(s, profile, meta = {}) {
  const rows = [];
  const nginx = s.nginx;
  const pass = s['web-pass'] ?? s['web-profile-1'];
  const passLabel = s['web-pass'] ? 'web pass-through' : 'web-profile-1 (stand-in: one upstream call, hr; no pass-through route yet)';
  if (pass && nginx && !pass.failed) {
    const r = cpuOf(pass) / cpuOf(nginx);
    rows.push(['Pass-through CPU ≤ 5× nginx', `${passLabel}: ${f0(cpuOf(pass))} µs vs nginx ${f0(cpuOf(nginx))} µs = ${r.toFixed(2)}×${perRep(pass, nginx)}`, verdict(r, 5)]);
  } else rows.push(['Pass-through CPU ≤ 5× nginx', 'missing variant', 'not measurable yet']);
  const floorNest = s['floor-nest'];
  const floorFastify = s['floor-fastify'];
  if (pass && nginx && floorNest && !pass.failed) {
    rows.push([
      '(framework floors, for context)',
      `NestJS-on-Fastify + undici forwarding, nothing else: ${f0(cpuOf(floorNest))} µs = ${ratio(cpuOf(floorNest), cpuOf(nginx))} nginx${floorFastify ? `; Fastify alone: ${f0(cpuOf(floorFastify))} µs = ${ratio(cpuOf(floorFastify), cpuOf(nginx))}` : ''}; the pipeline on top of Nest's floor: ${f0(cpuOf(pass) - cpuOf(floorNest))} µs`,
      '–',
    ]);
  }

  const auth = profile?.categories?.find((c) => c.name === 'auth (our code + jose)');
  const authUs = auth && usOf(profile, auth.share);
  rows.push([
    'Auth amortised ≤ 20 µs/request (token reused)',
    profile ? (auth ? `profile of ${profile.variant}: ${f1(authUs)} µs/request self time in libs/auth, passport, @nestjs/passport and jose` : `profile of ${profile.variant}: no auth code on the hot path (auth not active yet?)`) : 'not measured by the load runs (needs a profile: --profile)',
    profile && auth ? verdict(authUs, 20) : profile ? 'not measurable yet' : 'not measured',
  ]);

  const agg = s['web-profile-2'];
  if (agg && pass && !agg.failed) {
    const one = s['web-profile-1'];
    const r = cpuOf(agg) / cpuOf(pass);
    rows.push(['Two-part aggregation ≤ 1.5× one pass-through', `web-profile-2 ${f0(cpuOf(agg))} µs / ${pass.id} ${f0(cpuOf(pass))} µs = ${r.toFixed(2)}×${perRep(agg, pass)}${one && one !== pass ? `; vs the same route with one part: ${ratio(cpuOf(agg), cpuOf(one))}` : ''}`, verdict(r, 1.5)]);
  } else rows.push(['Two-part aggregation ≤ 1.5× one pass-through', 'web-profile-2 not measured (no authentication yet: payroll is never asked)', 'not measurable yet']);
  const aggJson = s['web-profile-2-json'];
  if (aggJson && pass && !aggJson.failed) {
    const r = cpuOf(aggJson) / cpuOf(pass);
    rows.push(['Two-part aggregation ≤ 1.5× one pass-through, both parts JSON', `web-profile-2-json ${f0(cpuOf(aggJson))} µs / ${pass.id} ${f0(cpuOf(pass))} µs = ${r.toFixed(2)}×${perRep(aggJson, pass)} (the same aggregation without payroll's XML translation, which the XML→JSON target measures)`, verdict(r, 1.5)]);
  }
  const dash = s['web-dashboard'];
  if (dash && pass && !dash.failed) rows.push(['(dashboard, three parts, for context)', `${f0(cpuOf(dash))} µs = ${ratio(cpuOf(dash), cpuOf(pass))} one pass-through`, '–']);

  const [xmlId, jsonId] = s['web-payroll-xml'] ? ['web-payroll-xml', 'web-payroll-json'] : ['web-profile-2', 'web-profile-2-json'];
  if (s[xmlId] && s[jsonId] && !s[xmlId].failed && !s[jsonId].failed) {
    const r = cpuOf(s[xmlId]) / cpuOf(s[jsonId]);
    rows.push(['XML→JSON ≤ 2× the same route in JSON', `${xmlId} ${f0(cpuOf(s[xmlId]))} µs / ${jsonId} ${f0(cpuOf(s[jsonId]))} µs = ${r.toFixed(2)}×${perRep(s[xmlId], s[jsonId])}`, verdict(r, 2)]);
  } else rows.push(['XML→JSON ≤ 2× the same route in JSON', 'no XML route reachable yet', 'not measurable yet']);

  // the targets judge the measured version: the twins of a --compare run (ids with @REF) are context, not verdicts
  const gateways = Object.values(s).filter((x) => x.variant.gateway.kind === 'app' && !x.failed && !x.id.includes('@'));
  if (nginx && gateways.length) {
    const atRate = Number.isFinite(nginx.rateP99Us);
    const pooled = atRate && Number.isFinite(nginx.rateP99PooledUs) && gateways.every((g) => Number.isFinite(g.rateP99PooledUs));
    const key = pooled ? 'rateP99PooledUs' : atRate ? 'rateP99Us' : 'p99Us';
    const how = pooled ? 'at the fixed rate, p99 of all repetitions\' requests together' : atRate ? 'at the fixed rate (median of the runs\' p99)' : 'at saturation (no fixed-rate runs)';
    // on one shared core, a variant that needs (nearly) all of it at the fixed rate cannot be judged at that rate
    const oneCore = meta.serversOnOneCore ?? /^servers .* on CPU \d/.test(meta.pinning ?? ''); // raw files from before the flag
    const saturated = atRate && oneCore ? gateways.filter((g) => busyAtRate(g) >= SATURATED) : [];
    const judged = gateways.filter((g) => !saturated.includes(g));
    const left = saturated.length
      ? `; left out, saturated at this rate (the servers' core ≥ ${SATURATED * 100} % busy: their p99 is a queue): ${saturated.map((g) => `${g.id} ${f0(busyAtRate(g) * 100)} %`).join(', ')} — run them at a lower --rate`
      : '';
    if (judged.length === 0) {
      rows.push(['p99 within 2× nginx at the same load', `${how}: every gateway variant saturated${left}`, 'not measurable at this rate']);
    } else {
      const worst = judged.reduce((a, b) => (b[key] > a[key] ? b : a));
      const r = worst[key] / nginx[key];
      rows.push(['p99 within 2× nginx at the same load', `${how}: worst ${worst.id} ${ms(worst[key])} ms vs nginx ${ms(nginx[key])} ms = ${r.toFixed(2)}×${left}`, verdict(r, 2)]);
    }
  }
  const byApp = {};
  for (const g of gateways) byApp[g.variant.gateway.app] = Math.max(byApp[g.variant.gateway.app] ?? 0, g.rssMaxKiB);
  const worstApp = Object.entries(byApp).sort((a, b) => b[1] - a[1])[0];
  if (worstApp) rows.push(['RSS per app under load ≤ 150 MiB', `largest: ${worstApp[0]} ${mib(worstApp[1])} MiB (${Object.entries(byApp).map(([a, k]) => `${a} ${mib(k)}`).join(', ')})`, verdict(worstApp[1] / 1024, 150)]);
  return rows;
}

function table(header, rows) {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** The whole Markdown report. */
export function renderReport({ meta, stages, skipped, notes, idleRss = {}, appEnv = {}, summaries: s, runs, profile: rawProfile, options }) {
  const basisUs = rawProfile && s[rawProfile.variant]?.gwMainUs;
  const profile = rawProfile && (Number.isFinite(basisUs) ? { ...rawProfile, basisUs } : rawProfile);
  const nginx = s.nginx;
  const direct = s.direct;
  const order = Object.values(s);
  const lines = [];
  lines.push(`# Frontdoor benchmark — ${meta.date}`, '');
  lines.push(`Machine: ${meta.nproc} CPUs (${meta.cpuModel}), ${meta.memGiB} GiB, Linux ${meta.kernel}, Node ${meta.node}, nginx ${meta.nginx ?? 'not installed'}, load: ${meta.loadTool}. Load average at start: ${meta.loadavg}. Repo: ${meta.repo}.`);
  lines.push(`Pinning: ${meta.pinning}.`);
  if (meta.compare) lines.push(`Compared in the same run with ${meta.compare}: its variants end in @${options.compare} and each runs right after its twin.`);
  lines.push(`Method: ${options.reps} repetitions, variants interleaved (${order.map((x) => x.id).join(' → ')}, then again), each run ${options.seconds} s at ${options.connections} connections (closed loop, keep-alive) after ${options.warmup} s of warm-up per variant and, before every measured run, ${options.runWarmup ?? 0} s of the same load unmeasured${options.rate ? `; then ${options.rateSeconds} s at a fixed ${options.rate} req/s (${options.rateTool ?? 'autocannon'}, same connections) for latency at the same load` : ''}. Figures are medians over the repetitions; CPU spread is min–max. Gateway CPU µs/request = (utime + stime of the gateway process(es) from /proc/<pid>/stat after − before) / requests answered in the run, all threads; "of which main thread" is the same from /proc/<pid>/task/<pid>/stat (the rest is V8's GC and compiler helper threads and the libuv pool); for "direct" it is the upstream's own CPU. Upstream payloads: ~1 KB employee JSON (direct, nginx and the uncached pass-through all fetch the same \`/employees/E0001\` from hr), ~1.1 KB product JSON, 1.3 KB salary XML. An upstream CPU/request near 0 means the gateway answered from its cache.`);
  lines.push('');
  lines.push('## Pipeline stages seen (probed at start)', '');
  lines.push(table(['app', 'authentication', 'RBAC', 'rate limit', 'metrics', 'headers the upstream received'], Object.entries(stages).map(([app, st]) => [app, st.auth, st.rbac, st.rateLimit, st.metrics, st.upstreamHeaders || '–'])));
  lines.push('', 'Logging: every app runs with LOG_LEVEL=info and its stdout appended to a file; "log B/req" below is what it wrote per request.');
  lines.push(`Apps are started from dist/apps/<app>/main.js with NODE_ENV=production, the bench upstream's URLs, the bench JWKS (JWT_*), a partner key file made by tools/keys, and ${Object.entries(appEnv).map(([k, v]) => `${k}=${v}`).join(', ') || 'nothing else'}.`);
  lines.push(`RSS after start, before any load (MiB): ${Object.entries(idleRss).map(([a, k]) => `${a} ${mib(k)}`).join(', ')}.`, '');
  if (skipped.length) {
    lines.push('## Not measured in this run', '');
    for (const k of skipped) lines.push(`- **${k.label}** (${k.id}): ${k.reason}`);
    lines.push('');
  }
  for (const n of notes) lines.push(`> ${n}`, '');

  lines.push(`## Results (medians of ${options.reps})`, '');
  lines.push(table(
    ['variant', 'route', 'req/s', 'p50 ms', 'p99 ms', 'gateway CPU µs/req (min–max)', 'of which main thread', 'upstream CPU µs/req', 'gateway RSS max / end MiB', 'log B/req'],
    order.map((x) => [
      `**${x.id}**${x.failed ? ' ⚠ FAILED' : ''}<br>${x.variant.label}`,
      `\`${x.variant.route}\``,
      x.failed ? x.failed : f0(x.rps),
      ms(x.p50Us),
      ms(x.p99Us),
      `${f0(cpuOf(x))} (${f0(x.cpuMin)}–${f0(x.cpuMax)})${x.variant.gateway.kind === 'none' ? ' (upstream)' : ''}`,
      f0(x.gwMainUs),
      f0(x.upCpuUs),
      x.variant.gateway.kind === 'none' ? `${mib(x.rssMaxKiB)} / ${mib(x.rssEndKiB)} (upstream)` : `${mib(x.rssMaxKiB)} / ${mib(x.rssEndKiB)}`,
      x.variant.gateway.kind === 'app' ? f0(x.logBytes) : '–',
    ]),
  ));
  lines.push('');
  lines.push('## Ratios', '', 'CPU ×direct compares the gateway\'s CPU per request with what the backend itself spends per request when called directly. RSS ×direct compares with the upstream process.', '');
  lines.push(table(
    ['variant', 'CPU ×nginx', 'CPU ×direct', 'req/s ×nginx', 'req/s ×direct', 'p99 ×nginx', 'p99 ×direct', 'RSS ×nginx', 'RSS ×direct'],
    order.filter((x) => x.variant.gateway.kind !== 'none').map((x) => [
      x.id,
      ratio(cpuOf(x), nginx && cpuOf(nginx)),
      ratio(cpuOf(x), direct && cpuOf(direct)),
      ratio(x.rps, nginx?.rps),
      ratio(x.rps, direct?.rps),
      ratio(x.p99Us, nginx?.p99Us),
      ratio(x.p99Us, direct?.p99Us),
      ratio(rssOf(x), nginx && rssOf(nginx)),
      ratio(rssOf(x), direct && rssOf(direct)),
    ]),
  ));
  lines.push('');
  if (options.rate) {
    lines.push(`## Latency at a fixed ${options.rate} req/s (medians of ${options.reps}; pooled: one p99 over every repetition's requests)`, '');
    lines.push(table(
      ['variant', 'achieved req/s', 'p50 ms', 'p99 ms (per run min–max)', 'p99 ×nginx', 'p99 pooled ms', 'pooled ×nginx', 'gateway CPU µs/req at this rate', 'servers\' core busy'],
      order.map((x) => {
        const perRun = x.variant && runs ? runs.filter((r) => r.id === x.id).map((r) => r.rateP99Us).filter(Number.isFinite) : [];
        const spread = perRun.length ? ` (${ms(Math.min(...perRun))}–${ms(Math.max(...perRun))})` : '';
        return [x.id, f0(x.rateRps), ms(x.rateP50Us), `${ms(x.rateP99Us)}${spread}`, ratio(x.rateP99Us, nginx?.rateP99Us), ms(x.rateP99PooledUs), ratio(x.rateP99PooledUs, nginx?.rateP99PooledUs), f0(x.variant.gateway.kind === 'none' ? NaN : x.rateGwCpuUs), Number.isFinite(busyAtRate(x)) ? `${f0(busyAtRate(x) * 100)} %` : '–'];
      }),
    ));
    lines.push('');
  }
  if (options.compare) lines.push(renderComparison(s, options.compare), '');
  lines.push('## Targets (issue 7)', '');
  lines.push(table(['target', 'measured', 'verdict'], targets(s, profile, meta)));
  lines.push('');
  lines.push('RSS drift (end of first run → end of last run, MiB): ' + order.filter((x) => x.variant.gateway.kind === 'app').map((x) => `${x.id} ${mib(x.rssEndFirst)} → ${mib(x.rssEndLast)}`).join('; ') + '.', '');
  if (profile) lines.push(renderProfile(profile), '');
  lines.push('<details><summary>Every run</summary>', '');
  lines.push(table(['rep', 'variant', 'requests', 'req/s', 'p99 ms', 'gateway CPU µs/req', 'main thread', 'upstream CPU µs/req', 'RSS end MiB', 'errors'], runs.map((r) => [r.rep, r.id, f0(r.requests), f0(r.rps), ms(r.p99Us), f1(r.gwCpuUs), f1(r.gwMainUs), f1(r.upCpuUs), mib(r.rssEndKiB), r.non2xx + r.socketErrors + (r.rateErrors ?? 0)])));
  lines.push('', '</details>', '');
  return lines.join('\n');
}

/** Before (`--compare REF`) → after (the tree under test), for every variant measured in both. */
function renderComparison(s, ref) {
  const rows = Object.values(s)
    .filter((x) => !x.id.includes('@') && s[`${x.id}@${ref}`])
    .map((after) => {
      const before = s[`${after.id}@${ref}`];
      const change = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${a >= b ? '+' : '−'}${Math.abs((100 * (a - b)) / b).toFixed(0)} %` : '–');
      return [after.id, `${f0(cpuOf(before))} → ${f0(cpuOf(after))}`, change(cpuOf(after), cpuOf(before)), `${f0(before.rps)} → ${f0(after.rps)}`, `${ms(before.p99Us)} → ${ms(after.p99Us)}`, `${mib(before.rssMaxKiB)} → ${mib(after.rssMaxKiB)}`];
    });
  return [`## Before (${ref}) → after, same run (medians)`, '', table(['variant', 'gateway CPU µs/req', 'change', 'req/s', 'p99 ms', 'RSS max MiB'], rows)].join('\n');
}

/**
 * µs per request of a profile share. The profiler itself costs CPU, so shares are applied to the main-thread CPU per
 * request of the unprofiled runs of the same variant when there were any (`basisUs`), else to the profiled figure.
 */
const usOf = (p, share) => share * (p.basisUs ?? p.cpuUsPerReq);

/** The "where the time goes" part of a profile summary (see profile.mjs). */
export function renderProfile(p) {
  if (p.kind === 'heap') return renderHeapProfile(p);
  const lines = [];
  const basis = p.basisUs
    ? `µs/req = share × ${f0(p.basisUs)} µs, the main-thread CPU per request of the unprofiled runs (profiled: ${f0(p.cpuUsPerReq)} µs, all threads, profiler included)`
    : `µs/req = share × ${f0(p.cpuUsPerReq)} µs, the CPU per request while profiling (all threads, profiler included)`;
  lines.push(`## Where the time goes (CPU profile of ${p.variant}, ${p.seconds} s at ${p.connections} connections, ${f0(p.samples)} samples of the main thread)`, '');
  lines.push(`Shares are of the main thread's samples; ${basis}.`, '');
  lines.push('Self time by origin:', '');
  lines.push(table(['origin', 'share', 'µs/req'], p.categories.map((c) => [c.name, `${f1(c.share * 100)} %`, f1(usOf(p, c.share))])));
  lines.push('', 'Top self-time frames:', '');
  lines.push(table(['#', 'share', 'µs/req', 'function', 'where'], p.top.map((t, i) => [i + 1, `${f1(t.share * 100)} %`, f1(usOf(p, t.share)), `\`${t.name}\``, t.where])));
  lines.push('', 'Our code, inclusive time (the function and everything it calls):', '');
  lines.push(table(['share', 'µs/req', 'function', 'where'], p.ours.map((t) => [`${f1(t.share * 100)} %`, f1(usOf(p, t.share)), `\`${t.name}\``, t.where])));
  return lines.join('\n');
}

const kb = (bytes) => (bytes / 1024).toFixed(2);

/** `--heap`: what one request allocates, by origin and by frame (KB = 1024 bytes). */
function renderHeapProfile(p) {
  const lines = [];
  lines.push(`## Where the allocations go (sampling heap profile of ${p.variant}, ${p.seconds} s at ${p.connections} connections, ${f0(p.requests)} requests)`, '');
  lines.push(`**${kb(p.bytesPerReq)} KB allocated per request** (collected objects included; one sample per 4 KiB on average, so sites under ~0.1 KB/request are noise).`, '');
  lines.push('By origin:', '');
  lines.push(table(['origin', 'share', 'KB/req'], p.categories.map((c) => [c.name, `${f1(c.share * 100)} %`, kb(c.bytesPerReq)])));
  lines.push('', 'Top allocating frames (self):', '');
  lines.push(table(['#', 'share', 'KB/req', 'function', 'where'], p.top.map((t, i) => [i + 1, `${f1(t.share * 100)} %`, kb(t.bytesPerReq), `\`${t.name}\``, t.where])));
  lines.push('', 'Our code, inclusive (the function and everything it calls):', '');
  lines.push(table(['share', 'KB/req', 'function', 'where'], p.ours.map((t) => [`${f1(t.share * 100)} %`, kb(t.bytesPerReq), `\`${t.name}\``, t.where])));
  return lines.join('\n');
}
