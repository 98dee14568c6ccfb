#!/usr/bin/env node
// The Frontdoor benchmark (issue 7): the upstream called directly, nginx as a reverse proxy, and each BFF on its real
// pipeline, side by side in one run, interleaved. Reports req/s, p50/p99, gateway CPU µs per request (from /proc),
// RSS, and ratios to direct and nginx. `--smoke` only asserts that every variant answers correctly.
// Everything listens on 127.0.0.1; every process started here is stopped at the end, on errors and on Ctrl-C.
// See docs/benchmarks.md for the method and the latest figures; `--help` for options.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArgError, USAGE, parseArgs } from './lib/args.mjs';
import { startJwks } from './lib/auth.mjs';
import { findLoadTool, runLoad } from './lib/load.mjs';
import { describeMachine } from './lib/machine.mjs';
import { findNginx, startNginx } from './lib/nginx.mjs';
import { freePort, firstJsonLine, onInterrupt, pinningPlan, start, stopAll, unlessExited } from './lib/procs.mjs';
import { rssKiB } from './lib/proc-stat.mjs';
import { profileVariant } from './lib/profile.mjs';
import { renderProfile, renderReport, summarize } from './lib/report.mjs';
import { schedule } from './lib/runner.mjs';
import { BENCH_LIMITS, prepareTree, startTree } from './lib/trees.mjs';
import { verify } from './lib/variants.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const log = (line) => process.stderr.write(`bench: ${line}\n`);

async function startEstate(dir, pins) {
  const upstream = start('bench-upstream', process.execPath, [join(root, 'tools/bench/upstream.mjs')], { cpu: pins.server, stdout: 'pipe' });
  const { ports } = await unlessExited(upstream, firstJsonLine(upstream));
  const jwks = await startJwks();
  const nginxBin = findNginx();
  const nginx = nginxBin ? await startNginx({ bin: nginxBin.bin, dir, listenPort: await freePort(), upstreamPort: ports.hr, cpu: pins.server }) : undefined;
  const floors = {};
  for (const kind of ['fastify', 'nest']) {
    const entry = start(`floor-${kind}`, process.execPath, [join(root, 'tools/bench/floor.mjs'), kind, String(ports.hr)], { cpu: pins.server, stdout: 'pipe', env: { ...process.env, NODE_ENV: 'production' } });
    const { port } = await unlessExited(entry, firstJsonLine(entry));
    floors[kind] = { url: `http://127.0.0.1:${port}`, pids: [entry.child.pid] };
  }
  return { upstream, ports, jwks, nginxBin, nginx, floors };
}

/** Every variant must answer correctly once before it is measured; the others are reported as failed. */
async function verifyAll(variants) {
  const failed = [];
  for (const v of variants) {
    const ok = await verify(v);
    if (ok !== true) failed.push({ id: v.id, label: v.label, reason: `answered wrongly: ${ok}` });
  }
  return { good: variants.filter((v) => !failed.some((f) => f.id === v.id)), failed };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.help) return process.stdout.write(USAGE);
  if (options.render) return rerender(options.render);
  const tool = findLoadTool(options.load);
  if (!tool) throw new Error('no load tool: install wrk (apt-get install wrk) or run npm ci (autocannon)');
  options.rateTool = tool.tool === 'wrk' ? 'wrk with a schedule of send slots, latency in µs' : 'autocannon -R, latency in whole ms, coordinated omission corrected';
  const pins = pinningPlan();
  const dir = mkdtempSync(join(tmpdir(), 'frontdoor-bench-'));
  if (!options.keepTmp) onInterrupt(() => rmSync(dir, { recursive: true, force: true }));
  let estate;
  try {
    const tree = prepareTree(root, { ref: options.ref, build: options.build, dir: join(dir, 'tree'), log });
    const before = options.compare ? prepareTree(root, { ref: options.compare, dir: join(dir, 'before'), log }) : undefined;
    log(`temp dir ${dir}; load with ${tool.tool}; pinning: ${pins.enabled ? `servers on CPU ${pins.server}, load on CPU ${pins.load}` : pins.reason}`);
    estate = await startEstate(dir, pins);
    const trees = [await startTree(tree, { estate, options, pins, dir })];
    if (before) trees.push(await startTree(before, { estate, options, pins, dir, suffix: `@${options.compare}` }));
    // with --compare, the two versions of a variant run one after the other: A A' B B' …
    let variants = trees[0].variants.flatMap((v) => [v, ...(trees[1]?.variants.filter((w) => w.id === `${v.id}@${options.compare}`) ?? [])]);
    if (options.only) variants = variants.filter((v) => v.gateway.kind !== 'app' || options.only.includes(v.id.split('@')[0]));
    const { good, failed } = await verifyAll(variants);
    const meta = describeMachine(root, { nginx: estate.nginxBin, loadTool: tool, pins, ref: options.ref, compare: options.compare });
    const idleRss = Object.fromEntries(trees.flatMap((t) => Object.values(t.apps)).map((a) => [a.label, rssKiB([a.pid])]));
    const stages = Object.assign({}, ...trees.map((t, i) => Object.fromEntries(Object.entries(t.stages).map(([k, v]) => [i ? `${k}@${options.compare}` : k, v]))));
    const header = { meta, stages, skipped: [...trees.flatMap((t) => t.skipped), ...failed], notes: trees[0].notes, idleRss, appEnv: { ...BENCH_LIMITS, ...options.env } };

    if (options.mode === 'smoke') return await smoke(good, failed, header, { tool, pins, options });

    log(`variants: ${good.map((v) => v.id).join(', ')}${failed.length ? `; FAILED: ${failed.map((f) => f.id).join(', ')}` : ''}`);
    for (const s of header.skipped) log(`skipped ${s.id}: ${s.reason}`);
    const runs = options.profileOnly
      ? []
      : await schedule(good, { tool: tool.tool, upstreamPid: estate.upstream.child.pid, pins, ...options }, (r) =>
          log(`rep ${r.rep} ${r.id.padEnd(20)} ${Math.round(r.rps).toString().padStart(6)} req/s  p99 ${(r.p99Us / 1000).toFixed(1).padStart(6)} ms  gateway ${Number.isFinite(r.gwCpuUs) ? r.gwCpuUs.toFixed(0).padStart(5) : '    –'} µs/req  upstream ${r.upCpuUs.toFixed(0)} µs/req${r.non2xx + r.socketErrors ? `  ERRORS ${r.non2xx + r.socketErrors}` : ''}`),
        );
    const profile = options.profile ? await profileOne(good, { tool, pins, options, dir }) : undefined;
    const saved = good.map(({ id, label, route, group, gateway }) => ({ id, label, route, group, gateway: { kind: gateway.kind, app: gateway.app } }));
    const raw = { ...header, options, variants: saved, runs, profile };
    writeOut(options, undefined, raw); // raw figures first: a rendering bug loses nothing
    const report = options.profileOnly ? `# Frontdoor ${options.heap ? "heap " : ""}profile — ${meta.date}\n\n${renderProfile(profile)}\n` : renderReport({ ...header, summaries: summarize(good, runs), runs, profile, options });
    writeOut(options, report, raw);
    process.stdout.write(report);
  } finally {
    await stopAll();
    await estate?.jwks.close();
    if (!options.keepTmp) rmSync(dir, { recursive: true, force: true });
    else log(`kept ${dir}`);
  }
}

async function profileOne(good, { tool, pins, options, dir }) {
  const variant = good.find((v) => v.id === options.profile);
  if (!variant?.tree) throw new Error(`--profile ${options.profile}: not a measured gateway variant (${good.filter((v) => v.tree).map((v) => v.id).join(', ')})`);
  log(`${options.heap ? "heap-" : ""}profiling ${variant.id} for ${options.profileSeconds} s…`);
  mkdirSync(outDir(options), { recursive: true });
  return profileVariant({ root: variant.tree.root, dir: outDir(options), logDir: dir, variant, spec: variant.tree.spec, tool: tool.tool, options, pins });
}

/** `--render raw.json`: the report again from saved figures (no processes started). */
function rerender(file) {
  const raw = JSON.parse(readFileSync(resolve(file), 'utf8'));
  process.stdout.write(renderReport({ ...raw, summaries: summarize(raw.variants, raw.runs) }));
}

const outDir = (options) => dirname(resolve(root, options.out ?? 'tmp/bench/latest.md'));

function writeOut(options, report, raw) {
  const file = resolve(root, options.out ?? 'tmp/bench/latest.md');
  mkdirSync(dirname(file), { recursive: true });
  if (report === undefined) {
    writeFileSync(file.replace(/\.md$/, '') + '.json', JSON.stringify(raw, null, 2));
    return;
  }
  writeFileSync(file, report);
  writeFileSync(file.replace(/\.md$/, '') + '.json', JSON.stringify(raw, null, 2));
  log(`report written to ${file}`);
}

/** Smoke: every variant answered correctly once; now a light load each, with no error allowed. */
async function smoke(good, failed, header, { tool, pins, options }) {
  const problems = [...failed.map((f) => `${f.id}: ${f.reason}`)];
  const lines = ['# Frontdoor benchmark smoke', '', `${header.meta.date}, ${tool.tool}, ${options.seconds} s × ${options.connections} connections per variant`, ''];
  for (const v of good) {
    const r = await runLoad(tool.tool, { url: v.url, headers: v.headers, connections: options.connections, seconds: options.seconds, cpu: pins.load });
    const errors = r.non2xx + r.socketErrors;
    if (errors > 0 || r.requests === 0) problems.push(`${v.id}: ${errors} errors in ${r.requests} requests under load${r.statuses ? ` (statuses ${JSON.stringify(r.statuses)})` : ''}`);
    lines.push(`- ${errors || !r.requests ? '✗' : '✓'} ${v.id} — ${v.label}: ${r.requests} requests, ${errors} errors`);
  }
  for (const f of failed) lines.push(`- ✗ ${f.id} — ${f.reason}`);
  for (const s of header.skipped.filter((s) => !failed.includes(s))) lines.push(`- (skipped) ${s.id}: ${s.reason}`);
  lines.push('', `Pipeline: ${Object.entries(header.stages).map(([app, st]) => `${app}: auth ${st.auth.split(' ')[0]}, rate limit ${st.rateLimit.split(' ')[0]}`).join('; ')}`, '');
  process.stdout.write(`${lines.join('\n')}\n`);
  if (problems.length) {
    process.stderr.write(`bench smoke FAILED:\n  ${problems.join('\n  ')}\n`);
    process.exitCode = 1;
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  async (error) => {
    if (error instanceof ArgError) {
      process.stderr.write(`bench: ${error.message} (see --help)\n`);
      process.exit(2);
    }
    process.stderr.write(`bench: ${error.stack ?? error}\n`);
    await stopAll();
    process.exit(1);
  },
);
