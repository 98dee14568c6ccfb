/**
 * The reason `promise` rejected with; fails the spec (throws) if it resolved instead. Lets a table row assert on
 * the error object itself: `const e = await rejectionOf(client.fetch(req))`.
 */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** How a promise settled and after how many milliseconds (wall clock, `performance.now()`). */
export type Settled<T> = { ok: true; value: T; ms: number } | { ok: false; error: unknown; ms: number };

/** Awaits `promise` and reports how it settled and how long it took; never rejects. */
export async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  const start = performance.now();
  try {
    const value = await promise;
    return { ok: true, value, ms: performance.now() - start };
  } catch (error) {
    return { ok: false, error, ms: performance.now() - start };
  }
}

/** Resolves with `promise`'s value, or `'timeout'` after `withinMs` (the timer cleared either way). */
export async function within<T>(promise: Promise<T>, withinMs: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), withinMs)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
