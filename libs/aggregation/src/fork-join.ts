import type { Degraded } from './degraded';

/** The time a part may take, ms: the route's whole budget for a required part, a share of it for an optional one. */
export interface PartBudget {
  readonly deadlineMs: number;
}

/** A part the answer cannot do without: its failure fails the whole call, with its own status (502/503/504…). */
export interface RequiredPart<T> {
  readonly required: true;
  readonly load: (budget: PartBudget) => Promise<T>;
}

/** A part the answer can do without: its failure (or timeout) leaves it `undefined` and names it in `missing`. */
export interface OptionalPart<T> {
  readonly required: false;
  readonly load: (budget: PartBudget) => Promise<T>;
}

export type Part<T> = RequiredPart<T> | OptionalPart<T>;

export function required<T>(load: (budget: PartBudget) => Promise<T>): RequiredPart<T> {
  return { required: true, load };
}

export function optional<T>(load: (budget: PartBudget) => Promise<T>): OptionalPart<T> {
  return { required: false, load };
}

type Parts = Readonly<Record<string, Part<unknown>>>;

/** The value of each part: required parts are always there, optional ones may be `undefined`. */
export type PartValues<P extends Parts> = {
  readonly [K in keyof P]: P[K] extends RequiredPart<infer T> ? T : P[K] extends OptionalPart<infer T> ? T | undefined : never;
};

export interface Gathered<P extends Parts> {
  readonly values: PartValues<P>;
  /** Optional parts that failed, in declaration order. Empty when the answer is complete. */
  readonly missing: readonly (keyof P & string)[];
  /** Why each missing part failed (for the log; never for the client). */
  readonly failures: Readonly<Partial<Record<keyof P & string, unknown>>>;
}

export interface GatherOptions {
  /** The route's budget, ms. Required parts get all of it. */
  readonly budgetMs: number;
  /**
   * Share of the budget optional parts get, so that the answer (partial if need be) is ready before the route's
   * deadline. Default 0.85, as lura gives its backends ~85% of the endpoint timeout.
   */
  readonly optionalShare?: number;
}

export const DEFAULT_OPTIONAL_SHARE = 0.85;

const FAILED = Symbol('failed');
type Failed = { readonly [FAILED]: unknown };

function failed(error: unknown): Failed {
  return { [FAILED]: error };
}

function isFailed(value: unknown): value is Failed {
  return typeof value === 'object' && value !== null && FAILED in value;
}

function start(part: Part<unknown>, deadlineMs: number): Promise<unknown> {
  let promise: Promise<unknown>;
  try {
    promise = part.load({ deadlineMs });
  } catch (error) {
    promise = Promise.reject(error);
  }
  return part.required ? promise : promise.catch(failed);
}

/**
 * Fork-join: starts every part at once and waits for all of them, so the answer takes about as long as the slowest
 * part, not the sum. Resolves with every value and the names of the optional parts that failed.
 * @throws the error of the first required part to fail, as soon as it fails (optional parts still running are
 *   left to their own deadlines; their outcome is ignored)
 */
export async function gather<P extends Parts>(parts: P, options: GatherOptions): Promise<Gathered<P>> {
  const names = Object.keys(parts) as (keyof P & string)[];
  const share = options.optionalShare ?? DEFAULT_OPTIONAL_SHARE;
  const optionalMs = Math.max(1, Math.floor(options.budgetMs * share));
  const results = await Promise.all(
    names.map((name) => {
      const part = parts[name] as Part<unknown>;
      return start(part, part.required ? options.budgetMs : optionalMs);
    }),
  );
  const values: Record<string, unknown> = {};
  const missing: (keyof P & string)[] = [];
  const failures: Partial<Record<keyof P & string, unknown>> = {};
  names.forEach((name, i) => {
    const result = results[i];
    if (isFailed(result)) {
      missing.push(name);
      failures[name] = result[FAILED];
      values[name] = undefined;
    } else {
      values[name] = result;
    }
  });
  return { values: values as PartValues<P>, missing, failures };
}

/** `{ reason: 'partial', missing }` when parts are missing, else undefined. */
export function partialOf(missing: readonly string[]): Degraded | undefined {
  return missing.length === 0 ? undefined : { reason: 'partial', missing };
}
