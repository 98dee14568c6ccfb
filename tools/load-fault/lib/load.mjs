// Open-loop pacing: each target sends at its fixed rate whatever the answers take (slow answers do not slow the load
// down), with a cap on requests in flight per app so that a hung gateway cannot make the run pile up sockets.
import { send } from './ledger.mjs';

const TICK_MS = 10;
const MAX_IN_FLIGHT_PER_APP = 64;

export function startLoad({ ledger, targets, routers, agents, durationMs, timeoutMs }) {
  const state = targets.map((target) => ({ target, sent: 0, skipped: 0, phase: Math.random() }));
  const inFlight = new Map();
  const pending = new Set();
  let resolveDone;
  const done = new Promise((resolve) => (resolveDone = resolve));

  const launch = (s) => {
    const { target } = s;
    const replica = routers[target.app].next();
    const { path, method, headers, body } = target.request();
    inFlight.set(target.app, (inFlight.get(target.app) ?? 0) + 1);
    const p = send(ledger, { replica, agent: agents[replica.name], method, path, headers, body, timeoutMs, meta: { target: target.name, expect: target.expect } }).then((entry) => {
      inFlight.set(target.app, inFlight.get(target.app) - 1);
      target.seen?.(entry);
      pending.delete(p);
    });
    pending.add(p);
  };

  const timer = setInterval(() => {
    const elapsed = ledger.now();
    const until = Math.min(elapsed, durationMs);
    for (const s of state) {
      const due = Math.floor((until / 1000) * s.target.rps + s.phase) - s.sent - s.skipped;
      for (let i = 0; i < due; i += 1) {
        if ((inFlight.get(s.target.app) ?? 0) >= MAX_IN_FLIGHT_PER_APP) s.skipped += 1;
        else {
          s.sent += 1;
          launch(s);
        }
      }
    }
    if (elapsed >= durationMs) {
      clearInterval(timer);
      void Promise.all(pending).then(() => resolveDone(state));
    }
  }, TICK_MS);

  return { done, stop: () => clearInterval(timer), state };
}
