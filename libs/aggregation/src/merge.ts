/** The keys two shapes have in common. */
export type SharedKeys<A, B> = Extract<keyof A, keyof B>;

/** `unknown` (no constraint) when A and B have no key in common; otherwise a type no value has, naming the keys. */
export type NoSharedKeys<A, B> = [SharedKeys<A, B>] extends [never] ? unknown : { readonly __keyCollision: SharedKeys<A, B> };

/** A key collision between merged parts: a programming error, never a silent overwrite. */
export class KeyCollisionError extends Error {
  override readonly name = 'KeyCollisionError';

  constructor(readonly keys: readonly string[]) {
    super(`merged parts both define ${keys.map((k) => JSON.stringify(k)).join(', ')}`);
  }
}

/**
 * Merges two parts of an answer whose keys must not overlap (KrakenD merges silently: the last backend wins).
 * A collision is a compile error (`NoSharedKeys`) when the types are known, and a `KeyCollisionError` at run time
 * otherwise — so a test or the first call finds it, never a client.
 * @throws KeyCollisionError naming the shared keys
 */
export function mergeDisjoint<A extends object, B extends object>(a: A, b: B & NoSharedKeys<A, B>): A & B {
  const shared = Object.keys(b).filter((key) => Object.hasOwn(a, key));
  if (shared.length > 0) throw new KeyCollisionError(shared);
  return Object.assign({}, a, b) as A & B;
}

/**
 * Start-time check of declared shapes (e.g. the key lists of the parts an aggregation merges).
 * @throws KeyCollisionError naming every key declared by more than one shape
 */
export function assertDisjointKeys(shapes: Readonly<Record<string, readonly string[]>>): void {
  const owner = new Map<string, string>();
  const shared = new Set<string>();
  for (const [shape, keys] of Object.entries(shapes)) {
    for (const key of keys) {
      const first = owner.get(key);
      if (first !== undefined && first !== shape) shared.add(key);
      else owner.set(key, shape);
    }
  }
  if (shared.size > 0) throw new KeyCollisionError([...shared]);
}
