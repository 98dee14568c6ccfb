// One measured run of a variant, and the interleaved schedule (warm-up, then A B C … A B C …).
import { existsSync, statSync, truncateSync } from 'node:fs';
import { runLoad } from './load.mjs';
import { snapshot, startRssSampler } from './proc-stat.mjs';
import { sleep } from './procs.mjs';
import { probe } from './variants.mjs';

const sizeOf = (file) => (file && existsSync(file) ? statSync(file).size : 0);

/**
 * Runs the load against `variant` and reads /proc around it: gateway CPU (its pids), upstream CPU, gateway RSS (or
 * the upstream's for the direct call), and the bytes the gateway logged. `rate`: a fixed-rate run instead.
 */
export async function measure(variant, { tool, upstreamPid, connections, seconds, pins, logFile, rate }) {
  const gwPids = variant.gateway.pids ?? [];
  const groups = { gw: gwPids, up: [upstreamPid] };
  const logBefore = sizeOf(logFile);
  const before = snapshot(groups);
  const sampler = startRssSampler(gwPids.length ? gwPids : [upstreamPid]);
  const r = await runLoad(tool, { url: variant.url, headers: variant.headers, connections, seconds, cpu: pins.load, rate });
  const after = snapshot(groups);
  const rss = sampler.stop();
  const logged = sizeOf(logFile) - logBefore;
  if (logFile && existsSync(logFile)) truncateSync(logFile, 0); // the app appends: the file stays small
  const perReq = (us) => (r.requests > 0 ? us / r.requests : NaN);
  const result = {
    ...r,
    gwCpuUs: gwPids.length ? perReq(after.gw - before.gw) : NaN,
    // the gateway's main thread only; the rest is V8's GC/compiler helper threads and the libuv pool
    gwMainUs: gwPids.length === 1 ? perReq(after.gwMain - before.gwMain) : NaN,
    upCpuUs: perReq(after.up - before.up),
    rssMaxKiB: rss.maxKiB,
    rssEndKiB: rss.endKiB,
    logBytes: logFile ? perReq(logged) : NaN,
  };
  if (r.non2xx > 0) result.errorStatus = (await probe(variant.url, variant.headers)).status;
  return result;
}

/**
 * Warm-up per variant, then `reps` rounds over all variants in order, each measured run preceded by a short unmeasured
 * one (`runWarmup` s); after each saturation run, an optional fixed-rate run of the same variant. `onRun` sees every
 * result (progress output).
 */
export async function schedule(variants, opts, onRun) {
  const { tool, warmup, runWarmup, reps, seconds, connections, rate, rateSeconds, pins } = opts;
  if (warmup > 0) {
    for (const v of variants) await runLoad(tool, { url: v.url, headers: v.headers, connections, seconds: warmup, cpu: pins.load });
  }
  const runs = [];
  for (let rep = 1; rep <= reps; rep += 1) {
    for (const v of variants) {
      // an app idle while the others ran has had its heap shrunk and code cooled by V8: warm it again, unmeasured
      if (runWarmup > 0) await runLoad(tool, { url: v.url, headers: v.headers, connections, seconds: runWarmup, cpu: pins.load });
      const m = await measure(v, { ...opts, logFile: v.logFile, rate: 0 });
      const run = { rep, id: v.id, ...m };
      if (rate > 0) {
        await sleep(200);
        const f = await measure(v, { ...opts, logFile: v.logFile, rate, seconds: rateSeconds });
        Object.assign(run, { rateRps: f.rps, rateP50Us: f.p50Us, rateP99Us: f.p99Us, rateGwCpuUs: f.gwCpuUs, rateUpCpuUs: f.upCpuUs, rateErrors: f.non2xx + f.socketErrors, rateHistogram: f.histogram });
      }
      runs.push(run);
      onRun(run);
      await sleep(200);
    }
  }
  return runs;
}
