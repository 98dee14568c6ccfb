// Resident memory of every BFF process (each instance: a restarted replica is a new series), sampled every second
// from /proc/<pid>/status, and the verdict "flat after warm-up": growth from just after warm-up to the end under a
// bound, with the least-squares slope reported next to it.
import { rssKiB } from '../../bench/lib/proc-stat.mjs';
import { exitOf } from '../../replicas/lib/processes.mjs';

const MiB = 1024;

export function startRssSampler({ ledger, replicas, everyMs = 1000 }) {
  const series = new Map(); // pid → { name, pid, samples: [{ t, kib }] }
  const sample = () => {
    for (const replica of replicas) {
      const pid = replica.proc?.child.pid;
      if (!pid || exitOf(replica.proc) !== undefined) continue;
      let kib;
      try {
        kib = rssKiB([pid]);
      } catch {
        continue; // gone between the check and the read
      }
      if (!kib) continue; // a process being reaped has no VmRSS line any more
      if (!series.has(pid)) series.set(pid, { name: replica.name, pid, samples: [] });
      series.get(pid).samples.push({ t: ledger.now(), kib });
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return { stop: () => (clearInterval(timer), sample(), [...series.values()]) };
}

const WINDOW_MS = 30_000;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function slopeMiBPerMin(samples) {
  const n = samples.length;
  const mt = samples.reduce((s, x) => s + x.t, 0) / n;
  const mk = samples.reduce((s, x) => s + x.kib, 0) / n;
  const num = samples.reduce((s, x) => s + (x.t - mt) * (x.kib - mk), 0);
  const den = samples.reduce((s, x) => s + (x.t - mt) ** 2, 0);
  return den === 0 ? 0 : (num / den / MiB) * 60_000;
}

/**
 * Per instance: start, end, max (MiB); and, for instances that lived long enough after the warm-up (the first third
 * of the run, or of the instance's own life if it started later), baseline → end growth and slope.
 */
export function judgeMemory(series, { durationMs, maxGrowthMiB = 30, maxGrowthPct = 20 }) {
  return series.map(({ name, pid, samples }) => {
    const kibs = samples.map((s) => s.kib);
    const row = { name, pid, startMiB: kibs[0] / MiB, endMiB: kibs.at(-1) / MiB, maxMiB: Math.max(...kibs) / MiB, judged: false };
    const first = samples[0].t;
    const last = samples.at(-1).t;
    const warmEnd = Math.max(durationMs / 3, first + (last - first) / 3);
    const after = samples.filter((s) => s.t >= warmEnd);
    if (last - warmEnd < durationMs / 3 || after.length < 5) {
      row.why = `lived ${Math.round((last - first) / 1000)} s in the run: too short after warm-up to judge`;
      return row;
    }
    // Medians over 30 s windows (less in short runs), not single samples: under load the heap's capacity swings by tens of MiB between
    // collections (a 300 s run once read +26 MiB from a 3 s baseline taken in a trough, while heap snapshots of the
    // same app after 300,000 requests differed by 0.8 MiB, all of it compiled code); a leak moves the window medians.
    const window = Math.min(WINDOW_MS, (last - warmEnd) / 4); // short runs: a quarter of what follows the warm-up
    const baseline = median(after.filter((s) => s.t <= warmEnd + window).map((s) => s.kib));
    const end = median(after.filter((s) => s.t >= last - window).map((s) => s.kib));
    Object.assign(row, {
      judged: true,
      baselineMiB: baseline / MiB,
      growthMiB: (end - baseline) / MiB,
      growthPct: ((end - baseline) / baseline) * 100,
      slope: slopeMiBPerMin(after),
    });
    row.ok = row.growthMiB < maxGrowthMiB && row.growthPct < maxGrowthPct;
    return row;
  });
}
