import { request } from 'undici';
import { startStub, type Stub } from './stub.server';
import { faults, splitEvenly } from './stub.faults';
import { rejectionOf } from './promise.helpers';

describe('faults', () => {
  let stub: Stub | undefined;
  afterEach(() => stub?.close());

  it.each([
    ['with content-length', true],
    ['chunked', false],
  ])('hugeBody streams valid JSON of exactly the asked size (%s)', async (_label, contentLength) => {
    const bytes = 300_000;
    stub = await startStub(faults.hugeBody(bytes, { contentLength }));
    const res = await request(stub.url);
    expect(res.headers['content-length']).toBe(contentLength ? String(bytes) : undefined);
    const text = await res.body.text();
    expect(Buffer.byteLength(text)).toBe(bytes);
    expect(JSON.parse(text)).toEqual({ pad: expect.stringMatching(/^x+$/) });
  });

  it('slowBody sends headers at once and the body over totalMs', async () => {
    stub = await startStub(faults.slowBody(600, 6));
    const start = Date.now();
    const res = await request(stub.url);
    const headersAt = Date.now() - start;
    const body = await res.body.json();
    // headers well before the body's end (half its time: a loaded CI machine took 197 ms to deliver them once)
    expect(headersAt).toBeLessThan(300);
    expect(Date.now() - start).toBeGreaterThanOrEqual(550);
    expect(Array.isArray(body)).toBe(true);
  });

  it('resetMidBody cuts the body after the headers', async () => {
    stub = await startStub(faults.resetMidBody());
    const res = await request(stub.url);
    expect(res.statusCode).toBe(200);
    expect(await rejectionOf(res.body.text())).toBeInstanceOf(Error);
  });

  it('deepJson nests arrays to the asked depth', async () => {
    stub = await startStub(faults.deepJson(50));
    let value = (await (await request(stub.url)).body.json()) as unknown;
    let depth = 0;
    while (Array.isArray(value)) {
      depth += 1;
      value = value[0];
    }
    expect(depth).toBe(50);
  });

  it('sequence answers with each handler in turn, then keeps the last', async () => {
    stub = await startStub(faults.sequence(faults.status(503), faults.json(200, { ok: 1 })));
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await request(stub.url);
      await res.body.dump();
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([503, 200, 200]);
  });
});

describe('splitEvenly', () => {
  it.each([
    ['abcdef', 3, ['ab', 'cd', 'ef']],
    ['abcdefg', 3, ['abc', 'def', 'g']],
    ['ab', 5, ['a', 'b']],
    ['abc', 0, ['abc']],
  ])('splits %j into %d pieces', (text, n, expected) => {
    expect(splitEvenly(text, n)).toEqual(expected);
  });
});
