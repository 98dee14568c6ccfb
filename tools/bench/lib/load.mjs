// The load driver: wrk (preferred: C, one thread, pinned away from the servers) or autocannon (fallback, a Node
// process). Both are run as child processes and report the same fields: requests, rps, latency p50/p99 in µs and
// errors (socket errors and non-2xx/3xx answers).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { start } from './procs.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const WRK_SCRIPT = join(here, 'wrk-report.lua');
const WRK_RATE_SCRIPT = join(here, 'wrk-rate.lua');
const AUTOCANNON = join(here, '../../../node_modules/autocannon/autocannon.js');

/** Which load tool is available: {tool, version} (wrk first), or undefined. `prefer` forces one. */
export function findLoadTool(prefer) {
  if (prefer !== 'autocannon') {
    const wrk = spawnSync('wrk', ['-v'], { encoding: 'utf8' });
    const text = `${wrk.stdout ?? ''}${wrk.stderr ?? ''}`;
    if (!wrk.error && /wrk/.test(text)) return { tool: 'wrk', version: /wrk\s+(\S+)/.exec(text)?.[1] ?? 'unknown' };
    if (prefer === 'wrk') return undefined;
  }
  if (existsSync(AUTOCANNON)) {
    const { version } = JSON.parse(readFileSync(join(dirname(AUTOCANNON), 'package.json'), 'utf8'));
    return { tool: 'autocannon', version };
  }
  return undefined;
}

function collect(entry) {
  return new Promise((resolve) => {
    let out = '';
    entry.child.stdout.on('data', (chunk) => (out += chunk.toString()));
    entry.child.once('exit', (code, signal) => resolve({ out, code, signal, err: entry.stderrTail }));
  });
}

async function runWrk({ url, headers, connections, seconds, cpu, rate }) {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '5s', '-s', rate ? WRK_RATE_SCRIPT : WRK_SCRIPT];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}: ${v}`);
  args.push(url);
  const entry = start('wrk', 'wrk', args, { cpu, stdout: 'pipe', env: rate ? { ...process.env, BENCH_RATE: String(rate), BENCH_HISTOGRAM: '1' } : undefined });
  const { out, code, signal, err } = await collect(entry);
  const line = out.split('\n').find((l) => l.startsWith('BENCH_JSON '));
  if (!line) throw new Error(`wrk failed (${signal ?? `code ${code}`}): ${err || out}`.trim());
  const r = JSON.parse(line.slice('BENCH_JSON '.length));
  const seconds_ = r.durationUs / 1e6;
  const hist = out.split('\n').find((l) => l.startsWith('BENCH_HIST '));
  return {
    // fixed-rate runs: [[µs, count], …] of every latency, for a p99 pooled over the repetitions
    ...(hist ? { histogram: hist.slice('BENCH_HIST '.length).split(',').filter(Boolean).map((pair) => pair.split(':').map(Number)) } : {}),
    requests: r.requests,
    rps: r.requests / seconds_,
    p50Us: r.p50,
    p99Us: r.p99,
    maxUs: r.max,
    socketErrors: r.connect + r.read + r.write + r.timeout,
    non2xx: r.non2xx,
    seconds: seconds_,
  };
}

async function runAutocannon({ url, headers, connections, seconds, cpu, rate }) {
  const args = [AUTOCANNON, '-j', '-n', '-c', String(connections), '-d', String(seconds)];
  if (rate) args.push('-R', String(rate));
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}=${v}`);
  args.push(url);
  const entry = start('autocannon', process.execPath, args, { cpu, stdout: 'pipe' });
  const { out, code, signal, err } = await collect(entry);
  let r;
  try {
    r = JSON.parse(out);
  } catch {
    throw new Error(`autocannon failed (${signal ?? `code ${code}`}): ${err || out}`.trim());
  }
  return {
    requests: r.requests.total,
    rps: r.requests.total / r.duration,
    p50Us: Math.round(r.latency.p50 * 1000),
    p99Us: Math.round(r.latency.p99 * 1000),
    maxUs: Math.round(r.latency.max * 1000),
    socketErrors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    statuses: Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([code, { count }]) => [code, count])),
    seconds: r.duration,
  };
}

/**
 * Runs one load: `{url, headers, connections, seconds, cpu, rate?}` → {requests, rps, p50Us, p99Us, socketErrors,
 * non2xx}. With `rate` (requests/s over all connections) a fixed-rate run: wrk with a schedule of send slots
 * (`wrk-rate.lua`, latencies in µs), or autocannon's `-R` (whole milliseconds, coordinated omission corrected).
 */
export function runLoad(tool, options) {
  return tool === 'wrk' ? runWrk(options) : runAutocannon(options);
}
