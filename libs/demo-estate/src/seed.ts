/**
 * The deterministic core of the demo data: a seeded PRNG and the fixed "now" every generator and the sales summary
 * are relative to. Nothing here reads the clock, so the estate serves identical data on every start.
 */

/** The fixed reference instant of the seeded data (orders, timestamps, the sales summary's "today"). */
export const DEMO_REFERENCE_DATE = '2025-03-14T12:00:00.000Z';

/** {@link DEMO_REFERENCE_DATE} in epoch milliseconds, and the units generators count in. */
export const REFERENCE_MS = Date.parse(DEMO_REFERENCE_DATE);
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** mulberry32: a tiny 32-bit PRNG; the same seed yields the same sequence of numbers in [0, 1) everywhere. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Convenience draws over one mulberry32 stream. Each generator owns its stream, so domains never shift each other. */
export class Seeded {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** A float in [0, 1). */
  float(): number {
    return this.next();
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** `count` distinct items, in draw order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < count && pool.length > 0)
      out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0] as T);
    return out;
  }

  /** An amount in [min, max] with two decimals. */
  money(min: number, max: number): number {
    return roundMoney(min + this.next() * (max - min));
  }

  /** A string of `length` decimal digits (leading zeros allowed). */
  digits(length: number): string {
    let out = '';
    for (let i = 0; i < length; i += 1) out += String(Math.floor(this.next() * 10));
    return out;
  }
}

/** Rounds to cents. */
export function roundMoney(value: number): number {
  return Math.round(value * 100) / 100;
}

/** An ISO timestamp `ms` before the reference date, rounded to the second. */
export function isoBeforeReference(ms: number): string {
  return new Date(Math.floor((REFERENCE_MS - ms) / 1000) * 1000).toISOString();
}

/** `E0007`, `C0042`, `SKU-00001`, `O-00300`: a prefix and a zero-padded sequence number. */
export function sequenceId(prefix: string, n: number, width: number): string {
  return `${prefix}${String(n).padStart(width, '0')}`;
}

/** A word list written compactly: `'a, b, c'` → `['a', 'b', 'c']`. */
export function list(commaSeparated: string): readonly string[] {
  return Object.freeze(commaSeparated.split(', '));
}
