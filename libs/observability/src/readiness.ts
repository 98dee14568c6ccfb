/** Nest token for the list of readiness checks an app provides (one per dependency it needs). */
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

/**
 * One dependency's readiness: `up`, `degraded` (working with reduced guarantees, e.g. limits fell back to
 * memory — still ready) or `down` (not ready). Must never throw and must bound its own time.
 */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<'up' | 'degraded' | 'down'>;
}
