/**
 * "Full jitter" exponential backoff (AWS Architecture Blog, "Exponential Backoff And Jitter"): a uniformly random
 * delay in `[0, min(maxMs, baseMs * 2^(retry-1)))`, so clients that failed together do not retry together.
 * @param retry 1 for the first retry, 2 for the second…
 * @param random a source in [0, 1) (tests pass a fixed one)
 */
export function fullJitterDelay(retry: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}
