import { Pool, request } from 'undici';
import { closedPort, startStub, type Stub } from './stub.server';
import { faults } from './stub.faults';
import { rejectionOf } from './promise.helpers';

describe('startStub', () => {
  let stub: Stub | undefined;
  afterEach(() => stub?.close());

  it('listens on 127.0.0.1 with an OS-chosen port and records each request with its body', async () => {
    stub = await startStub(faults.json(201, { ok: true }));
    expect(stub.url).toBe(`http://127.0.0.1:${stub.port}`);
    const res = await request(`${stub.url}/orders?x=1`, {
      method: 'POST',
      body: 'hello',
      headers: { 'x-test': 'a' },
    });
    expect(res.statusCode).toBe(201);
    expect(await res.body.json()).toEqual({ ok: true });
    expect(stub.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/orders?x=1',
        body: 'hello',
        headers: expect.objectContaining({ 'x-test': 'a' }),
      }),
    ]);
  });

  it('counts requests in flight and the peak', async () => {
    stub = await startStub(faults.slowHeaders(50));
    const url = stub.url;
    await Promise.all([1, 2, 3].map(() => request(url).then((r) => r.body.dump())));
    expect(stub.maxInFlight()).toBe(3);
    expect(stub.inFlight()).toBe(0);
  });

  it('counts TCP connections, so keep-alive reuse is visible', async () => {
    stub = await startStub(faults.json(200, {}));
    const pool = new Pool(stub.url, { connections: 1 });
    for (let i = 0; i < 5; i++) await (await pool.request({ method: 'GET', path: '/' })).body.dump();
    await pool.close();
    expect(stub.requests).toHaveLength(5);
    expect(stub.connections()).toBe(1);
  });

  it('close() destroys sockets of hanging requests instead of waiting for them', async () => {
    stub = await startStub(faults.hang());
    const pending = rejectionOf(request(stub.url));
    while (stub.inFlight() === 0) await new Promise((r) => setTimeout(r, 5));
    const start = Date.now();
    await stub.close();
    expect(Date.now() - start).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
  });

  it('turns a handler that throws into a 500', async () => {
    stub = await startStub(() => {
      throw new Error('boom');
    });
    const res = await request(stub.url);
    expect(res.statusCode).toBe(500);
    await res.body.dump();
  });
});

describe('closedPort', () => {
  it('gives a port where connections are refused', async () => {
    const port = await closedPort();
    const error = await rejectionOf(request(`http://127.0.0.1:${port}/`));
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
  });
});
