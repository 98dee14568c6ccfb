/** Nest token for the list of readiness checks an app provides (one per dependency it needs). */
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

export type CheckState = 'up' | 'degraded' | 'down';

/**
 * One dependency's readiness: `up`, `degraded` (working with reduced guarantees, e.g. limits fell back to
 * memory — still ready) or `down`. Must never throw and must bound its own time.
 *
 * `upstream: true` marks a backend the app calls (see `readinessOf`): one of them down leaves the app ready; any
 * other check that is down makes it not ready.
 */
export interface ReadinessCheck {
  readonly name: string;
  readonly upstream?: boolean;
  check(): Promise<CheckState>;
}

export interface Readiness {
  readonly status: 'ready' | 'degraded' | 'not-ready';
  readonly checks: Record<string, CheckState>;
}

/**
 * The app's readiness from its checks' states (pure). Not ready when a check that is not an upstream is down, or
 * when every upstream is down (this instance can reach nothing it serves from: a load balancer should send its
 * traffic elsewhere). Some upstreams down, or anything degraded, is `degraded` and still ready: every replica
 * sees the same backend outage, so failing readiness for one would take the whole app out of its load balancer
 * — the routes that do not need that backend, the stale answers from cache and the degraded aggregations
 * (PRODUCT.md) with it — and the clients would get the balancer's bare error instead.
 */
export function readinessOf(results: readonly (readonly [ReadinessCheck, CheckState])[]): Readiness {
  const checks: Record<string, CheckState> = {};
  let upstreams = 0;
  let upstreamsDown = 0;
  let localDown = false;
  let allUp = true;
  for (const [check, state] of results) {
    checks[check.name] = state;
    if (state !== 'up') allUp = false;
    if (check.upstream === true) {
      upstreams++;
      if (state === 'down') upstreamsDown++;
    } else if (state === 'down') localDown = true;
  }
  const notReady = localDown || (upstreams > 0 && upstreamsDown === upstreams);
  return { status: notReady ? 'not-ready' : allUp ? 'ready' : 'degraded', checks };
}
