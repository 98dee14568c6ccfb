// The fault schedule, run while the load runs: upstream latency, error bursts, garbage and hangs through the
// estate's `PUT /__demo/fault`; one replica drained (SIGTERM, out of rotation first, as a load balancer would do),
// one killed (SIGKILL) and restarted, Redis killed and started again (empty: the partner keys are re-seeded).
// Every action lands in the timeline; windows say which requests a fault may excuse.
import { waitReady } from '../../replicas/lib/cluster.mjs';
import { request, sleep } from '../../replicas/lib/http.mjs';
import { killRedis, restartRedis, startBff } from './cluster.mjs';

const PRE_STOP_MS = 500;
const PROBE_LEAD_MS = 300;
const PORTS = { inventory: 4001, hr: 4002, payroll: 4003, sales: 4004, customers: 4005 };

/**
 * When (ms after the load starts) and for how long each fault happens. The full run spreads them over the first
 * ~70% (warm-up for memory is the first third); the short one packs them into the first 10 s. Both leave a quiet tail
 * in which every app must be back to normal answers.
 */
export function schedule(short, durationMs) {
  const at = (fraction, shortMs) => (short ? shortMs : fraction * durationMs);
  const d = (full, brief) => (short ? brief : full);
  return [
    { at: at(0.08, 1000), kind: 'upstream', service: 'hr', fault: { latencyMs: 2000 }, ms: d(5000, 2500), what: 'hr latency 2 s' },
    { at: at(0.09, 1100), kind: 'drain', app: 'web-bff', replica: 1, what: 'web-bff-b drained (SIGTERM) while hr is slow, then started again' },
    // sales answering right at the route deadline, then placing orders but answering after it: a POST /v1/orders
    // times out at the gateway after sales placed the order — the unknown outcome that tests whether a retried key
    // can place a second order
    { at: at(0.17, 2000), kind: 'upstream', service: 'sales', fault: [{ latencyMs: 1490 }, { latencyMs: 1505 }, { answerDelayMs: 1600 }], ms: d(6000, 2400), what: 'sales latency at the route deadline (1490–1505 ms), then orders placed but answered late (1600 ms)' },
    { at: at(0.25, 3000), kind: 'upstream', service: 'inventory', fault: { errorRate: 0.5 }, ms: d(5000, 2000), what: 'inventory error rate 0.5' },
    { at: at(0.35, 4000), kind: 'kill', app: 'partner-bff', replica: 0, ms: d(2000, 1000), what: 'partner-bff-a killed (SIGKILL), started again' },
    { at: at(0.5, 5500), kind: 'redis', ms: d(3000, 1500), what: 'Redis killed, started again empty, partner keys re-seeded' },
    { at: at(0.6, 7000), kind: 'upstream', service: 'payroll', fault: { mode: 'garbage' }, ms: d(4000, 2000), what: 'payroll answers garbage' },
    { at: at(0.68, 8000), kind: 'upstream', service: 'customers', fault: { mode: 'hang' }, ms: d(3000, 1500), what: 'customers hangs' },
  ];
}

export function runFaults({ ctx, ledger, routers, durationMs, short, drainProbe }) {
  const timeline = [];
  const windows = [];
  const note = (event) => timeline.push({ t: ledger.now(), event });
  const drainMs = Number(ctx.settings.SHUTDOWN_DRAIN_MS);

  const setFault = async (service, fault) => {
    const res = await request(`http://127.0.0.1:${PORTS[service]}/__demo/fault`, { method: 'PUT', body: fault });
    if (res.status !== 200 && res.status !== 204) throw new Error(`PUT ${service} /__demo/fault answered ${res.status || res.error}`);
  };

  const actions = {
    async upstream({ service, fault, ms }) {
      const steps = Array.isArray(fault) ? fault : [fault]; // several settings: each for an equal share of `ms`
      const window = { kind: 'upstream', service, from: ledger.now() };
      windows.push(window);
      for (const step of steps) {
        await setFault(service, step);
        note(`${service}: fault ${JSON.stringify(step)} on`);
        await sleep(ms / steps.length);
      }
      await setFault(service, {});
      window.to = ledger.now();
      note(`${service}: fault off`);
    },
    async drain({ app, replica: index }) {
      const replica = ctx.replicas[app][index];
      const proc = replica.proc;
      // as a load balancer and Kubernetes do it: out of the endpoints first, SIGTERM after a short preStop delay
      routers[app].out.add(replica.name);
      note(`${replica.name} (pid ${proc.child.pid}): out of rotation`);
      await sleep(PRE_STOP_MS - PROBE_LEAD_MS);
      // one slow request of our own, surely accepted before the signal: the drain must let it finish
      const probe = drainProbe?.(replica);
      await sleep(PROBE_LEAD_MS);
      const window = { kind: 'drain', replica: replica.name, pid: proc.child.pid, from: ledger.now() };
      windows.push(window);
      proc.child.kill('SIGTERM');
      note(`${replica.name}: SIGTERM (${PRE_STOP_MS} ms after leaving the rotation)`);
      const exit = await Promise.race([proc.exited, sleep(drainMs + 3000).then(() => undefined)]);
      window.exitMs = ledger.now() - window.from;
      window.exit = exit ?? { timeout: true };
      if (!exit) proc.child.kill('SIGKILL');
      note(`${replica.name}: ${exit ? `exited (code ${exit.code}, signal ${exit.signal}) after ${Math.round(window.exitMs)} ms` : `still running ${drainMs + 3000} ms after SIGTERM: killed`}`);
      window.probe = await probe;
      await restart(replica, window);
      routers[app].out.delete(replica.name);
    },
    async kill({ app, replica: index, ms }) {
      const replica = ctx.replicas[app][index];
      const proc = replica.proc;
      const window = { kind: 'kill', replica: replica.name, pid: proc.child.pid, from: ledger.now() };
      windows.push(window);
      proc.child.kill('SIGKILL');
      await proc.exited;
      note(`${replica.name} (pid ${window.pid}): SIGKILL (stays in rotation: its requests fail until it is back)`);
      await sleep(ms);
      await restart(replica, window);
    },
    async redis({ ms }) {
      const window = { kind: 'redis', from: ledger.now() };
      windows.push(window);
      await killRedis(ctx);
      note('Redis: SIGKILL');
      await sleep(ms);
      await restartRedis(ctx);
      window.to = ledger.now();
      note('Redis: started again (empty), partner keys re-seeded');
    },
  };

  async function restart(replica, window) {
    startBff(replica, ctx);
    note(`${replica.name}: started again (pid ${replica.proc.child.pid})`);
    const readyMs = await waitReady(replica, 60_000);
    window.to = ledger.now();
    window.readyMs = readyMs;
    note(`${replica.name}: ${readyMs === undefined ? 'NOT ready within 60 s' : `ready after ${(readyMs / 1000).toFixed(1)} s`}`);
  }

  const plan = schedule(short, durationMs);
  const done = Promise.all(
    plan.map(async (step) => {
      await sleep(Math.max(0, step.at - ledger.now()));
      try {
        await actions[step.kind](step);
      } catch (error) {
        step.error = error.message;
        note(`${step.what}: FAILED: ${error.message}`);
      }
    }),
  );
  return { done, timeline, windows, plan };
}
