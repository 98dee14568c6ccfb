// Figures and Markdown of the soak (tools/bench/soak.mjs): per run (app × node options) requests/s, CPU µs per
// request, RSS at each stage, the shape of RSS over phase 2 (window medians, first vs last window, least-squares
// slope), the V8 heap against its limit, errors, and whether the process died — with the verdict against the target.

const MiB = 1024; // KiB per MiB
const median = (xs) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (x, digits = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–');
const mib = (kib, digits = 0) => fmt(kib / MiB, digits);
const bytesMiB = (b, digits = 0) => fmt(b / 2 ** 20, digits);

function slopeMiBPerMin(points) {
  const n = points.length;
  if (n < 3) return NaN;
  const mt = points.reduce((s, p) => s + p.t, 0) / n;
  const mk = points.reduce((s, p) => s + p.rssKiB, 0) / n;
  const num = points.reduce((s, p) => s + (p.t - mt) * (p.rssKiB - mk), 0);
  const den = points.reduce((s, p) => s + (p.t - mt) ** 2, 0);
  return den === 0 ? 0 : (num / den / MiB) * 60;
}

/** The figures of one run, from its raw samples. */
export function summarizeRun(run, { limitMiB, flatMiB, windowS = 30 }) {
  const s = { ...run };
  const samples = (run.samples ?? []).filter((x) => Number.isFinite(x.rssKiB));
  const steady = run.steady;
  if (steady && samples.length >= 2) {
    const first = samples[0];
    const last = samples.at(-1);
    const seconds = last.t - first.t;
    s.seconds = seconds;
    s.rps = (last.answered - first.answered) / seconds;
    s.cpuUsPerReq = (last.cpuUs - first.cpuUs) / Math.max(1, last.answered - first.answered);
    // per second: steady seconds vs burst seconds (a second counts as burst when it ended inside a burst)
    const split = { steady: { cpu: 0, n: 0 }, burst: { cpu: 0, n: 0 } };
    for (let i = 1; i < samples.length; i += 1) {
      const a = samples[i - 1];
      const b = samples[i];
      if (!Number.isFinite(a.cpuUs) || !Number.isFinite(b.cpuUs)) continue;
      const part = b.burst || a.burst ? split.burst : split.steady;
      part.cpu += b.cpuUs - a.cpuUs;
      part.n += b.answered - a.answered;
    }
    s.cpuSteady = split.steady.n ? split.steady.cpu / split.steady.n : NaN;
    s.cpuBurst = split.burst.n ? split.burst.cpu / split.burst.n : NaN;
    s.rpsBurst = split.burst.n / Math.max(1, samples.filter((x, i) => i && (x.burst || samples[i - 1].burst)).length);
    const rss = samples.map((x) => x.rssKiB);
    s.rssMedian = median(rss);
    s.rssMax = Math.max(...rss);
    s.rssEnd = rss.at(-1);
    // first vs last window medians (windows of 30 s, or a third of a shorter run)
    const w = Math.min(windowS, seconds / 3);
    s.windowS = w;
    s.rssFirst = median(samples.filter((x) => x.t - first.t <= w).map((x) => x.rssKiB));
    s.rssLast = median(samples.filter((x) => last.t - x.t <= w).map((x) => x.rssKiB));
    s.growthKiB = s.rssLast - s.rssFirst;
    s.slope = slopeMiBPerMin(samples);
    // 10 s window medians, to see the shape
    s.windows10 = [];
    for (let t0 = first.t; t0 < last.t - 1e-9; t0 += 10) s.windows10.push(median(samples.filter((x) => x.t >= t0 && x.t < t0 + 10).map((x) => x.rssKiB)));
    const heap = run.heapSamples ?? [];
    if (heap.length) {
      s.heapUsedMax = Math.max(...heap.map((h) => h.heapUsed ?? 0));
      s.oldUsedMax = Math.max(...heap.map((h) => h.oldUsed ?? 0));
      s.heapTotalMax = Math.max(...heap.map((h) => h.heapTotal ?? 0));
      s.externalMax = Math.max(...heap.map((h) => h.external ?? 0));
    }
  }
  const fin = steady?.final;
  s.errors = {
    s5xx: (fin?.s5xx ?? 0) + (run.fill ?? []).reduce((n, f) => n + (f.final?.s5xx ?? 0), 0),
    s4xx: fin?.s4xx ?? 0,
    s429: fin?.s429 ?? 0,
    transport: fin?.errors ?? 0,
    fill5xx: (run.fill ?? []).reduce((n, f) => n + (f.final?.s5xx ?? 0), 0),
    fillOther: (run.fill ?? []).reduce((n, f) => n + (f.final?.s4xx ?? 0) + (f.final?.errors ?? 0), 0),
  };
  s.verdict = verdict(s, { limitMiB, flatMiB });
  return s;
}

function verdict(s, { limitMiB, flatMiB }) {
  if (s.startError) return { ok: false, text: `**FAIL: did not start** (${s.startError.split('\n')[0].slice(0, 160)})` };
  if (s.died) {
    const how = s.died.oom ? 'OUT OF MEMORY (V8 heap limit)' : s.died.signal ? `signal ${s.died.signal}` : `exit code ${s.died.code}`;
    return { ok: false, text: `**FAIL: DIED in ${s.died.phase}: ${how}**` };
  }
  if (s.errors.s5xx > 0) {
    const by = {};
    for (const f of [...(s.fill ?? []).map((x) => x.final), s.steady?.final]) {
      for (const t of Object.values(f?.perTarget ?? {})) for (const [code, n] of Object.entries(t.statuses)) if (code >= '500') by[code] = (by[code] ?? 0) + n;
    }
    return { ok: false, text: `**FAIL: ${s.errors.s5xx} × 5xx** (${Object.entries(by).map(([k, v]) => `${v}×${k}`).join(', ')})` };
  }
  if (!Number.isFinite(s.rssMedian)) return { ok: false, text: '**FAIL: no samples**' };
  const limit = limitMiB * MiB;
  const growth = s.growthKiB / MiB;
  const flat = growth < flatMiB;
  const flatText = flat ? 'flat' : `**growing** +${fmt(growth, 1)} MiB (first→last ${fmt(s.windowS)} s window)`;
  if (s.rssMax <= limit) return { ok: flat, text: `${flat ? 'PASS' : 'NOT MET'}: max ${mib(s.rssMax)} ≤ ${limitMiB} MiB, ${flatText}` };
  if (s.rssMedian <= limit) return { ok: false, text: `NOT MET: median ${mib(s.rssMedian)} ≤ ${limitMiB} but max ${mib(s.rssMax)} MiB, ${flatText}` };
  return { ok: false, text: `NOT MET: median ${mib(s.rssMedian)} > ${limitMiB} MiB, ${flatText}` };
}

function fillText(run) {
  const lines = [];
  for (const f of run.fill ?? []) {
    const fin = f.final ?? {};
    const statuses = Object.entries(Object.values(fin.perTarget ?? {})[0]?.statuses ?? {}).map(([k, v]) => `${v}×${k}`).join(', ');
    lines.push(`  - ${f.label}: ${fmt(fin.answered)} answers in ${fmt(fin.seconds, 1)} s (${statuses || 'none'})${fin.errors ? `, ${fin.errors} transport errors` : ''}; RSS after: ${mib(f.rssAfterKiB)} MiB`);
  }
  const c = run.cacheCheck;
  if (c) {
    lines.push(
      `  - cache check: ${fmt(c.pages)} pages requested, ${bytesMiB(c.bytesRequested, 1)} MiB of bodies (one page ≈ ${fmt(c.pageBytes / 1024, 1)} KiB); expected resident: the newest ${fmt(c.expectedResident)} pages = ${bytesMiB(c.expectedResidentBytes, 1)} MiB (bound: ${c.binding}). ` +
        `Probe: ${c.probeHits}/${c.probes} of the newest pages answered from the cache (metric response_cache_lookups_total hit), the oldest page ${c.oldestMiss ? 'was a miss (evicted)' : '**was a hit (NOT evicted)**'}` +
        `${c.fillSeconds > 25 ? ` — the page fill took ${fmt(c.fillSeconds)} s, close to the 30 s TTL: the eviction check is inconclusive` : ''}. **Cache ${c.full ? 'full' : 'NOT shown full'}**.`,
    );
  }
  return lines.join('\n');
}

const label = (opts) => (opts ? `\`${opts}\`` : '(default)');

/** The whole report. */
export function renderSoakReport({ meta, options, runs }) {
  const L = [];
  L.push(`# Frontdoor soak — ${meta.date}`, '');
  L.push(
    `Machine: ${meta.nproc} vCPUs (${meta.cpuModel}), ${meta.memGiB} GiB, Linux ${meta.kernel}, Node ${meta.node}; load average at start ${meta.loadavg}. ` +
      `Code: ${meta.repo}; bundles measured (dist/apps/<app>/main.js, built): ${meta.bundles}. Pinning: ${meta.pinning}.`,
    '',
  );
  L.push(
    `Per run: a fresh app from \`dist/apps/<app>/main.js\` (NODE_ENV=production, LOG_LEVEL=info to a file, real auth, rate limits on but far above the load) in front of the bench upstream; ` +
      `**phase 1** fills its bounded in-process state (below); **phase 2**: ${options.seconds} s closed loop (tools/bench/lib/soak-load.mjs: undici, keep-alive, weighted seeded mix), ${options.connections} connections, ` +
      `bursts of ${options.burstConnections} connections for ${options.burstSeconds} s every ${options.burstEvery} s (first at ${options.burstFirstAt} s); /proc sampled every second, /metrics (V8 heap) every ${options.metricsEvery} s. ` +
      `${options.compare !== undefined ? 'The two settings run one after the other per app (A then B), same mix and seed. ' : ''}Target: RSS ≤ ${options.limitMiB} MiB, flat (first vs last window median within ${options.flatMiB} MiB).`,
    '',
  );
  L.push(`App environment (besides ports, upstreams, auth): ${Object.entries(options.appEnv).map(([k, v]) => `\`${k}=${v}\``).join(', ')}.`, '');

  L.push('| app | node options | req/s | CPU µs/req (steady / burst) | RSS idle → end of fill MiB | RSS median / max MiB (phase 2) | RSS first → last window (slope MiB/min) | V8 heap used max / limit MiB (old space max) | errors: 5xx / 4xx / transport | died | verdict |');
  L.push('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of runs) {
    const heap = Number.isFinite(r.heapUsedMax) ? `${bytesMiB(r.heapUsedMax)} / ${r.heapLimit ? bytesMiB(r.heapLimit) : '?'} (${bytesMiB(r.oldUsedMax)})` : '–';
    const died = r.died ? `**YES** (${r.died.oom ? 'OOM' : r.died.signal ?? `code ${r.died.code}`}, ${r.died.phase})` : r.startError ? '**no start**' : 'no';
    L.push(
      `| ${r.app} | ${label(r.nodeOptions)} | ${fmt(r.rps)} | ${fmt(r.cpuUsPerReq)} (${fmt(r.cpuSteady)} / ${fmt(r.cpuBurst)}) | ${mib(r.idleKiB)} → ${mib(r.fillEndKiB)} | ${mib(r.rssMedian)} / ${mib(r.rssMax)} | ${mib(r.rssFirst)} → ${mib(r.rssLast)} (${fmt(r.slope, 1)}) | ${heap} | ${r.errors.s5xx} / ${r.errors.s4xx}${r.errors.s429 ? ` (${r.errors.s429}×429)` : ''} / ${r.errors.transport} | ${died} | ${r.verdict.text} |`,
    );
  }
  L.push('');

  const pairs = [];
  if (options.compare !== undefined) {
    for (const app of [...new Set(runs.map((r) => r.app))]) {
      const a = runs.find((r) => r.app === app && r.setting === 'A');
      const b = runs.find((r) => r.app === app && r.setting === 'B');
      if (a && b) pairs.push([app, a, b]);
    }
  }
  if (pairs.length) {
    L.push(`A = ${label(options.nodeOptions)}, B = ${label(options.compare)}:`, '');
    L.push('| app | CPU µs/req A → B | req/s A → B | RSS median A → B MiB | RSS max A → B MiB | heap used max A → B MiB |');
    L.push('|---|---|---|---|---|---|');
    for (const [app, a, b] of pairs) {
      const pct = Number.isFinite(a.cpuUsPerReq) && Number.isFinite(b.cpuUsPerReq) ? ` (${b.cpuUsPerReq >= a.cpuUsPerReq ? '+' : ''}${fmt(((b.cpuUsPerReq - a.cpuUsPerReq) / a.cpuUsPerReq) * 100)} %)` : '';
      L.push(`| ${app} | ${fmt(a.cpuUsPerReq)} → ${fmt(b.cpuUsPerReq)}${pct} | ${fmt(a.rps)} → ${fmt(b.rps)} | ${mib(a.rssMedian)} → ${mib(b.rssMedian)} | ${mib(a.rssMax)} → ${mib(b.rssMax)} | ${bytesMiB(a.heapUsedMax)} → ${bytesMiB(b.heapUsedMax)} |`);
    }
    L.push('', 'One run per setting: on this shared 2-core machine CPU-per-request differences under ~15 % are not resolvable (docs/benchmarks.md, "Noise").', '');
  }

  L.push('## Per run', '');
  for (const r of runs) {
    L.push(`### ${r.app} — ${label(r.nodeOptions)}`, '');
    if (r.startError) {
      L.push(`Did not start: \`${r.startError.slice(0, 600)}\``, '');
      continue;
    }
    L.push(`- V8 heap limit with these options: ${r.heapLimit ? `${bytesMiB(r.heapLimit)} MiB` : 'unknown'}; RSS idle after start ${mib(r.idleKiB)} MiB.`);
    L.push(`- Phase 1 (${r.fillWhat}):`);
    L.push(fillText(r) || '  - nothing to fill');
    L.push(`- RSS at the end of phase 1: ${mib(r.fillEndKiB)} MiB${r.fillHeap ? `; V8 heap used ${bytesMiB(r.fillHeap.heapUsed)} MiB (old space ${bytesMiB(r.fillHeap.oldUsed)}), external ${bytesMiB(r.fillHeap.external)} MiB` : ''}.`);
    if (Number.isFinite(r.rssMedian)) {
      L.push(
        `- Phase 2: ${fmt(r.steady.final?.answered)} answers in ${fmt(r.seconds)} s = ${fmt(r.rps)} req/s${Number.isFinite(r.cpuBurst) ? ` (≈${fmt(r.rpsBurst)} req/s in burst seconds)` : ', no burst in this run'}; CPU ${fmt(r.cpuUsPerReq)} µs/req (steady ${fmt(r.cpuSteady)}, burst ${fmt(r.cpuBurst)}); ` +
          `latency p50/p99 ${fmt(r.steady.final?.latency?.steady.p50Us / 1000, 1)}/${fmt(r.steady.final?.latency?.steady.p99Us / 1000, 1)} ms steady${Number.isFinite(r.cpuBurst) ? `, ${fmt(r.steady.final?.latency?.burst.p50Us / 1000, 1)}/${fmt(r.steady.final?.latency?.burst.p99Us / 1000, 1)} ms in bursts` : ''}.`,
      );
      L.push(`- RSS per 10 s window (median MiB): ${r.windows10.map((k) => mib(k)).join(' · ')}; end ${mib(r.rssEnd)} MiB.`);
      if (Number.isFinite(r.heapUsedMax)) L.push(`- V8 heap (from /metrics): used max ${bytesMiB(r.heapUsedMax, 1)} MiB, old space used max ${bytesMiB(r.oldUsedMax, 1)} MiB, heap total max ${bytesMiB(r.heapTotalMax, 1)} MiB, external max ${bytesMiB(r.externalMax, 1)} MiB.`);
      const per = Object.entries(r.steady.final?.perTarget ?? {}).map(([name, t]) => `${name}: ${fmt(t.requests)}${t.s4xx + t.s5xx + t.errors ? ` (${Object.entries(t.statuses).filter(([k]) => !k.startsWith('2')).map(([k, v]) => `${v}×${k}`).join(', ')}${t.errors ? `, ${t.errors} transport` : ''})` : ''}`);
      L.push(`- Mix answered: ${per.join('; ')}.`);
      if (r.steady.final?.errorKinds && Object.keys(r.steady.final.errorKinds).length) L.push(`- Transport errors: ${Object.entries(r.steady.final.errorKinds).map(([k, v]) => `${k} ${v}`).join(', ')}.`);
    }
    if (r.loggedErrors) L.push(`- Log lines at level error/fatal: ${r.loggedErrors}.`);
    if (r.died) {
      L.push(`- **DIED** during ${r.died.phase} (${r.died.signal ? `signal ${r.died.signal}` : `exit code ${r.died.code}`})${r.died.oom ? ' — **JavaScript heap out of memory**' : ''}. Last stderr:`, '', '```', (r.died.stderr ?? '').trim().slice(-1500), '```');
    }
    L.push('');
  }

  L.push('## Notes', '');
  for (const n of options.notes) L.push(`- ${n}`);
  L.push('');
  return L.join('\n');
}
