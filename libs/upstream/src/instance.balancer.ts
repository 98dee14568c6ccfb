import type { Pool } from 'undici';

/** One instance of an upstream: its pool, its path prefix and its passive health. */
export interface UpstreamInstance {
  readonly pool: Pool;
  /** The base URL's path without its trailing slash: '' or '/api'. */
  readonly prefix: string;
  /** Consecutive failed attempts (transport failure or 5xx); reset by any success. */
  failures: number;
  /** Taken out of the rotation after `ejectAfter` consecutive failures, until a health probe succeeds. */
  ejected: boolean;
}

/** What the balancer says about its instances (tests, readiness, metrics). */
export interface InstanceHealth {
  readonly index: number;
  readonly ejected: boolean;
  readonly failures: number;
}

/**
 * Round-robin over the healthy instances of one upstream, with passive ejection (Envoy's outlier detection):
 * `ejectAfter` consecutive failures take an instance out of the rotation; `readmit` (called by the health probe)
 * puts it back. An upstream with a single instance never ejects it (there is nothing to move to).
 *
 * When every instance is ejected the balancer keeps going round-robin over all of them (Envoy's "panic mode")
 * instead of refusing: ejection is a guess from recent failures, the circuit breaker already stops hammering a
 * dead upstream, and a recovered instance then gets traffic before the next probe notices.
 */
export class InstanceBalancer {
  private next = 0;
  private ejectedCount = 0;
  /** Instances taken out of the rotation since start (for `upstream_ejections_total`; re-admissions not subtracted). */
  private ejectionCount = 0;

  constructor(
    readonly instances: readonly UpstreamInstance[],
    private readonly ejectAfter: number,
  ) {
    if (instances.length === 0) throw new Error('a balancer needs at least one instance');
    if (!(Number.isInteger(ejectAfter) && ejectAfter >= 1)) throw new RangeError('ejectAfter must be an integer >= 1');
  }

  /** The instance for the next attempt. O(1) while nothing is ejected. */
  pick(): UpstreamInstance {
    const { instances } = this;
    const count = instances.length;
    for (let tried = 0; tried < count; tried++) {
      const instance = instances[this.next] as UpstreamInstance;
      this.next = this.next + 1 === count ? 0 : this.next + 1;
      if (!instance.ejected || this.ejectedCount === count) return instance;
    }
    return instances[0] as UpstreamInstance; // unreachable: ejectedCount < count means one is healthy
  }

  succeeded(instance: UpstreamInstance): void {
    if (instance.failures !== 0) instance.failures = 0;
  }

  failed(instance: UpstreamInstance): void {
    instance.failures += 1;
    if (!instance.ejected && instance.failures >= this.ejectAfter && this.instances.length > 1) {
      instance.ejected = true;
      this.ejectedCount += 1;
      this.ejectionCount += 1;
    }
  }

  /** How many times an instance was taken out of the rotation since start. */
  get ejections(): number {
    return this.ejectionCount;
  }

  /** Back into the rotation (a health probe answered 2xx). */
  readmit(instance: UpstreamInstance): void {
    instance.failures = 0;
    if (!instance.ejected) return;
    instance.ejected = false;
    this.ejectedCount -= 1;
  }

  /** The instances currently out of the rotation. */
  ejected(): UpstreamInstance[] {
    return this.ejectedCount === 0 ? [] : this.instances.filter((i) => i.ejected);
  }

  health(): InstanceHealth[] {
    return this.instances.map((i, index) => ({ index, ejected: i.ejected, failures: i.failures }));
  }
}
