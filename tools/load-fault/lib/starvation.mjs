// How starved of CPU the machine was while the run went on (it is shared: other work can saturate its cores). Two
// measures: the Linux CPU pressure (PSI, /proc/pressure/cpu: share of time runnable tasks waited for a CPU), and this
// process's own event-loop stalls, timed by a 20 ms ticker — every process on the machine was delayed about as much,
// the gateways included, so a timer (a deadline) can fire that late through no fault of the code.
import { readFileSync } from 'node:fs';

const TICK_MS = 20;

function psiTotalMicros() {
  try {
    return Number(/^some .*total=(\d+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'))?.[1]);
  } catch {
    return undefined;
  }
}

export function startStallMeter(now) {
  const stalls = []; // [{ t, ms }] for ticks that came late
  let last = now();
  const psi0 = psiTotalMicros();
  const wall0 = performance.now();
  const timer = setInterval(() => {
    const t = now();
    const late = t - last - TICK_MS;
    if (late > 5) stalls.push({ t, ms: late });
    last = t;
  }, TICK_MS);
  return {
    /** Milliseconds this process was stalled between `from` and `to` (a stall ending at t covers [t - ms, t]). */
    during(from, to) {
      let sum = 0;
      for (const s of stalls) if (s.t >= from && s.t - s.ms <= to) sum += Math.min(s.t, to) - Math.max(s.t - s.ms, from);
      return Math.max(0, sum);
    },
    stop() {
      clearInterval(timer);
      const psi1 = psiTotalMicros();
      const wallMs = performance.now() - wall0;
      const sorted = stalls.map((s) => s.ms).sort((a, b) => a - b);
      return {
        cpuPressurePct: psi0 === undefined || psi1 === undefined ? undefined : ((psi1 - psi0) / 1000 / wallMs) * 100,
        stalledMs: sorted.reduce((a, b) => a + b, 0),
        worstStallMs: sorted.at(-1) ?? 0,
        stalls: sorted.length,
      };
    },
  };
}
