/**
 * `produce`, called at most once per `ttlMs`: every call within that time, concurrent ones included, gets the
 * promise of the first (a rejected one too). For the public, unlimited routes whose answer is costly to make:
 * readiness (a probe of every upstream instance) and `/metrics` (a rendering of the registry).
 */
export function sharedFor<T>(ttlMs: number, produce: () => Promise<T>): () => Promise<T> {
  let last: { readonly at: number; readonly value: Promise<T> } | undefined;
  return () => {
    const now = performance.now();
    if (last === undefined || now - last.at >= ttlMs) last = { at: now, value: produce() };
    return last.value;
  };
}
