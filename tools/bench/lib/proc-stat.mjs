// /proc sampling: CPU time (utime + stime, all threads of a process, in clock ticks) and resident memory.
// CPU time per request survives a noisy machine: other processes slow a server down but do not add to its own
// CPU time (cache effects aside).
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

let clockTicks;

/** Clock ticks per second (`getconf CLK_TCK`, almost always 100). */
export function clkTck() {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

function statFields(pid, tid) {
  const text = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
  // the command name is in parentheses and may contain spaces: fields start after the last ')'
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** utime + stime of `pid` in clock ticks (fields 14 and 15 of /proc/<pid>/stat). */
export function cpuTicks(pid) {
  const f = statFields(pid);
  return Number(f[11]) + Number(f[12]);
}

/**
 * CPU time of the main thread only (JavaScript, the event loop and its syscalls), in microseconds; the rest of a
 * process's time is its other threads: V8's GC and compiler helpers and the libuv pool.
 */
export function mainThreadMicros(pid) {
  const f = statFields(pid, pid);
  return ((Number(f[11]) + Number(f[12])) * 1e6) / clkTck();
}

/** Sum of `cpuTicks` over several pids (e.g. nginx master + worker), in microseconds. */
export function cpuMicros(pids) {
  let ticks = 0;
  for (const pid of pids) ticks += cpuTicks(pid);
  return (ticks * 1e6) / clkTck();
}

function statusKiB(pid, field) {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : 0;
}

/** Resident set size of the pids together, KiB. */
export function rssKiB(pids) {
  return pids.reduce((sum, pid) => sum + statusKiB(pid, 'VmRSS'), 0);
}

/** Direct children of `pid` (nginx workers of a master). */
export function childrenOf(pid) {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (Number(statFields(entry)[1]) === pid) found.push(Number(entry));
    } catch {
      /* gone meanwhile */
    }
  }
  return found;
}

/** Samples RSS of `pids` every `intervalMs` while a run lasts; `stop()` → {maxKiB, endKiB}. */
export function startRssSampler(pids, intervalMs = 200) {
  let maxKiB = rssKiB(pids);
  const timer = setInterval(() => {
    maxKiB = Math.max(maxKiB, rssKiB(pids));
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      const endKiB = rssKiB(pids);
      return { maxKiB: Math.max(maxKiB, endKiB), endKiB };
    },
  };
}

/** One reading of CPU time of several groups of pids: {label: micros, `${label}Main`: micros of the first pid's main thread}. */
export function snapshot(groups) {
  const out = {};
  for (const [label, pids] of Object.entries(groups)) {
    out[label] = pids.length ? cpuMicros(pids) : 0;
    out[`${label}Main`] = pids.length ? mainThreadMicros(pids[0]) : 0;
  }
  return out;
}
