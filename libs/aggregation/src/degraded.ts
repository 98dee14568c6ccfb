/**
 * A degraded answer is still a success (STYLE.md): 200, a body field `degraded`, the `X-Degraded` header and
 * `Cache-Control: no-store`. `partial`: an aggregation lost optional parts (`missing` names them). `stale`: the
 * answer is a cached copy served because the upstream failed (`missing` is empty).
 */
export interface Degraded {
  readonly reason: 'partial' | 'stale';
  readonly missing: readonly string[];
}

/** Brand carried (non-enumerable, so never serialized) by a degraded value; `Symbol.for` survives bundling twice. */
const DEGRADED = Symbol.for('frontdoor.degraded');

type Branded = { [DEGRADED]?: Degraded };

/**
 * Marks `value` as a degraded answer. A plain object gets the `degraded` body field too (a new object is
 * returned, the input is not changed); an array or other object carries the mark only (the header still says so).
 */
export function asDegraded<T extends object>(value: T, degraded: Degraded): T & { readonly degraded?: Degraded } {
  const frozen: Degraded = Object.freeze({ reason: degraded.reason, missing: Object.freeze([...degraded.missing]) });
  const marked: T = isPlainObject(value) ? (Object.assign({}, value, { degraded: frozen }) as T) : value;
  Object.defineProperty(marked, DEGRADED, { value: frozen, enumerable: false, configurable: true });
  return marked;
}

/**
 * Notes on `holder` (the reply an answer goes out on) that its answer is degraded, for what records the request: the
 * access line and `degraded_responses_total` read it back with `degradedOf(holder)`. The platform notes every
 * {@link asDegraded} answer as it is sent; this is also for answers that cannot carry the mark (a bare JSON scalar).
 */
export function noteDegraded(holder: object, degraded: Degraded): void {
  (holder as Branded)[DEGRADED] = degraded;
}

/** The mark set by {@link asDegraded} (or {@link noteDegraded}), or undefined for a normal answer. Never throws. */
export function degradedOf(value: unknown): Degraded | undefined {
  return typeof value === 'object' && value !== null ? (value as Branded)[DEGRADED] : undefined;
}

/** An object literal (of any realm: `structuredClone` may build it in another one) or a null-prototype object. */
function isPlainObject(value: object): boolean {
  if (Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}
