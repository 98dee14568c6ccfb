import { gather, optional, partialOf, required, type PartBudget } from './fork-join';

class Failure extends Error {
  constructor(readonly status: number) {
    super(`failed with ${status}`);
  }
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const ok = <T>(value: T) => () => Promise.resolve(value);
const fail = (status: number) => () => Promise.reject(new Failure(status));

describe('gather', () => {
  it.each([
    ['all parts answer', ok(1), ok(2), ok(3), { a: 1, b: 2, c: 3 }, []],
    ['optional b fails', ok(1), fail(502), ok(3), { a: 1, b: undefined, c: 3 }, ['b']],
    ['optional c fails', ok(1), ok(2), fail(504), { a: 1, b: 2, c: undefined }, ['c']],
    ['both optional parts fail', ok(1), fail(503), fail(504), { a: 1, b: undefined, c: undefined }, ['b', 'c']],
  ])('%s', async (_label, a, b, c, values, missing) => {
    const result = await gather({ a: required(a), b: optional(b), c: optional(c) }, { budgetMs: 1000 });
    expect(result.values).toEqual(values);
    expect(result.missing).toEqual(missing);
    expect(Object.keys(result.failures)).toEqual(missing);
    expect(partialOf(result.missing)).toEqual(missing.length ? { reason: 'partial', missing } : undefined);
  });

  it.each([502, 503, 504])('a required part failing with %d fails the call with that error', async (status) => {
    const call = gather({ a: required(fail(status)), b: optional(ok(2)) }, { budgetMs: 1000 });
    await expect(call).rejects.toMatchObject({ status });
  });

  it('fails as soon as a required part fails, without waiting for slow optional parts', async () => {
    const slow = deferred<number>();
    const call = gather({ a: required(fail(503)), b: optional(() => slow.promise) }, { budgetMs: 1000 });
    await expect(call).rejects.toMatchObject({ status: 503 });
    slow.reject(new Failure(504)); // settles later: no unhandled rejection
  });

  it('turns a part that throws synchronously into a failure of that part', async () => {
    const throwing = () => {
      throw new Failure(502);
    };
    const result = await gather({ a: required(ok(1)), b: optional(throwing) }, { budgetMs: 100 });
    expect(result.missing).toEqual(['b']);
    await expect(gather({ a: required(throwing) }, { budgetMs: 100 })).rejects.toMatchObject({ status: 502 });
  });

  it('gives required parts the whole budget and optional parts 85% of it (or the share asked)', async () => {
    const budgets: Record<string, number> = {};
    const record = (name: string) => (budget: PartBudget) => ((budgets[name] = budget.deadlineMs), Promise.resolve(name));
    await gather({ a: required(record('a')), b: optional(record('b')) }, { budgetMs: 3000 });
    await gather({ c: optional(record('c')) }, { budgetMs: 1000, optionalShare: 0.5 });
    expect(budgets).toEqual({ a: 3000, b: 2550, c: 500 });
  });

  it('starts every part before any finishes (latency of the slowest, not the sum)', async () => {
    const events: string[] = [];
    const part = (name: string) => {
      const gate = deferred<string>();
      return { name, gate, load: () => (events.push(`start ${name}`), gate.promise.then((v) => (events.push(`end ${name}`), v))) };
    };
    const [a, b, c] = [part('a'), part('b'), part('c')];
    const call = gather({ a: required(a.load), b: optional(b.load), c: optional(c.load) }, { budgetMs: 1000 });
    for (const each of [c, b, a]) each.gate.resolve(each.name);
    const result = await call;
    expect(events).toEqual(['start a', 'start b', 'start c', 'end c', 'end b', 'end a']);
    expect(result.values).toEqual({ a: 'a', b: 'b', c: 'c' });
  });

  it('types required values as present and optional ones as possibly undefined', async () => {
    const { values } = await gather({ n: required(ok(1)), s: optional(ok('x')) }, { budgetMs: 10 });
    const n: number = values.n;
    // @ts-expect-error an optional part may be missing
    const s: string = values.s;
    expect([n, s]).toEqual([1, 'x']);
  });
});
