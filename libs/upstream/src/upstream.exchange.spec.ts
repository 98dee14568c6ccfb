import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Pool } from 'undici';
import { isProblemError } from '@frontdoor/errors';
import { settle, startStub, type Stub, type StubHandler } from '@frontdoor/testing';
import { ExchangeSignal } from './exchange.signal';
import { isUpstreamAbortedError } from './upstream.errors';
import { exchange } from './upstream.exchange';

const CAP = 64 * 1024;
const LIMITS = Object.freeze({ name: 'payroll', maxResponseBytes: CAP });

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `bytes` bytes that differ along the body, so a lost, doubled or reordered chunk shows. */
function patterned(bytes: number): Buffer {
  const body = Buffer.allocUnsafe(bytes);
  for (let i = 0; i < bytes; i++) body[i] = 32 + (i % 91);
  return body;
}

/** Writes `body` in `pieces` writes `delayMs` apart, so that the client reads it as many chunks. */
function drip(body: Buffer, pieces: number, headers: Record<string, string> = {}, delayMs = 1): StubHandler {
  const size = Math.ceil(body.length / pieces);
  return async (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', ...headers });
    res.flushHeaders();
    for (let at = 0; at < body.length && !res.destroyed; at += size) {
      res.write(body.subarray(at, at + size));
      await sleep(delayMs);
    }
    if (!res.destroyed) res.end();
  };
}

/** Records whether the stub's answer was cut by the client (closed before it finished). */
function watched(handler: StubHandler): { handler: StubHandler; droppedByClient: () => boolean } {
  let dropped = false;
  return {
    handler: (req, res, body) => {
      res.once('close', () => (dropped = !res.writableFinished));
      return handler(req, res, body);
    },
    droppedByClient: () => dropped,
  };
}

/** Counts the body chunks undici hands over (proves a body really arrived in many pieces). */
function countChunks(): { count: () => number; stop: () => void } {
  let chunks = 0;
  const onChunk = () => (chunks += 1);
  subscribe('undici:request:bodyChunkReceived', onChunk);
  return { count: () => chunks, stop: () => unsubscribe('undici:request:bodyChunkReceived', onChunk) };
}

describe('exchange (dispatch handler)', () => {
  const stubs: Stub[] = [];
  const pools: Pool[] = [];
  const servers: Server[] = [];

  async function stub(handler: StubHandler): Promise<Stub> {
    const started = await startStub(handler);
    stubs.push(started);
    return started;
  }
  /** A TCP server answering every request it reads with `answer`, raw: for answers node:http cannot produce. */
  async function raw(answer: (socket: Socket) => void): Promise<string> {
    const server = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.on('data', () => answer(socket));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  /** A pool configured as `UpstreamClient` configures it; `cap: false` leaves the cap to the handler alone. */
  function pool(url: string, options: { cap?: boolean; connections?: number } = {}): Pool {
    const created = new Pool(url, {
      connections: options.connections ?? 4,
      pipelining: 1,
      headersTimeout: 5000,
      bodyTimeout: 5000,
      ...(options.cap === false ? {} : { maxResponseSize: CAP }),
    });
    pools.push(created);
    return created;
  }
  function call(
    on: Pool,
    options: { method?: 'GET' | 'HEAD'; deadlineMs?: number; reportedMs?: number; caller?: AbortSignal } = {},
  ) {
    const signal = new ExchangeSignal();
    const deadlineMs = options.deadlineMs ?? 2000;
    const request = { method: options.method ?? 'GET', path: '/x', signal };
    return {
      signal,
      answer: exchange(
        on,
        request,
        signal,
        LIMITS,
        deadlineMs,
        options.caller,
        options.reportedMs ?? deadlineMs,
      ),
    };
  }

  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.destroy()));
    await Promise.all(stubs.splice(0).map((s) => s.close()));
    for (const server of servers.splice(0)) server.close();
  });

  describe('headers', () => {
    it('are what request() gives: lower-case names, repeated headers and set-cookie as arrays', async () => {
      const head = [
        'HTTP/1.1 200 OK',
        'Content-Type: application/json; charset=utf-8',
        'Content-Length: 11',
        'ETag: "v1"',
        'Cache-Control: private, max-age=5',
        'Retry-After: 3',
        'Set-Cookie: a=1; Path=/',
        'set-cookie: b=2',
        'X-Dup: one',
        'x-dup: two',
        'X-DUP: three',
        'X-Empty: ',
        'Keep-Alive: timeout=5',
      ];
      const url = await raw((socket) => socket.write(`${head.join('\r\n')}\r\n\r\n{"ok":true}`));
      const p = pool(url);
      const res = await call(p).answer;
      const viaRequest = await p.request({ method: 'GET', path: '/x' });
      await viaRequest.body.dump();

      expect(res.headers).toEqual({
        'content-type': 'application/json; charset=utf-8',
        'content-length': '11',
        etag: '"v1"',
        'cache-control': 'private, max-age=5',
        'retry-after': '3',
        'set-cookie': ['a=1; Path=/', 'b=2'],
        'x-dup': ['one', 'two', 'three'],
        'x-empty': '',
        'keep-alive': 'timeout=5',
      });
      expect(res.headers).toEqual(viaRequest.headers);
      expect(res.body.toString()).toBe('{"ok":true}');
    });

    it('ignore a 103 Early Hints sent before the answer', async () => {
      const up = await stub((_req, res) => {
        res.writeEarlyHints({ link: '</a.css>; rel=preload; as=style' });
        res.writeHead(201, { 'content-type': 'application/json', 'x-final': 'yes' }).end('{}');
      });
      const res = await call(pool(up.url)).answer;
      expect(res).toMatchObject({ status: 201, headers: { 'x-final': 'yes' } });
      expect(res.headers['link']).toBeUndefined();
      expect(res.body.toString()).toBe('{}');
    });
  });

  describe('body', () => {
    it('collects a body written in many pieces, byte for byte', async () => {
      const body = patterned(20_000);
      const up = await stub(drip(body, 50));
      const chunks = countChunks();
      try {
        const res = await call(pool(up.url)).answer;
        expect(res.body.equals(body)).toBe(true);
        expect(chunks.count()).toBeGreaterThan(10);
      } finally {
        chunks.stop();
      }
    });

    it('gives a body that does not share memory with the socket reads', async () => {
      const up = await stub(
        (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('small'),
      );
      const res = await call(pool(up.url)).answer;
      expect(res.body.toString()).toBe('small');
      expect(res.body.byteOffset).toBe(0);
      expect(res.body.buffer.byteLength).toBe(5);
    });

    it('gives an empty body for 204', async () => {
      const up = await stub((_req, res) => void res.writeHead(204).end());
      const res = await call(pool(up.url)).answer;
      expect(res.status).toBe(204);
      expect(res.body).toHaveLength(0);
    });

    it('gives no body for HEAD, keeping the announced content-length in the headers', async () => {
      const up = await stub(
        (_req, res) => void res.writeHead(200, { 'content-length': String(4 * CAP) }).end(),
      );
      const res = await call(pool(up.url), { method: 'HEAD' }).answer;
      expect(res.body).toHaveLength(0);
      expect(res.headers['content-length']).toBe(String(4 * CAP));
    });

    describe.each([
      ['the pool cap (maxResponseSize)', true],
      ['the handler cap alone', false],
    ])('with %s', (_label, poolCap) => {
      it.each([
        ['chunked', false],
        ['with content-length', true],
      ])('accepts exactly the cap in many chunks (%s)', async (_kind, withLength) => {
        const body = patterned(CAP);
        const up = await stub(drip(body, 64, withLength ? { 'content-length': String(CAP) } : {}));
        const res = await call(pool(up.url, { cap: poolCap })).answer;
        expect(res.body.equals(body)).toBe(true);
      });

      it('refuses one byte over the cap in many chunks (chunked)', async () => {
        const up = await stub(drip(patterned(CAP + 1), 64));
        const outcome = await settle(call(pool(up.url, { cap: poolCap })).answer);
        expect(outcome).toMatchObject({
          ok: false,
          error: {
            status: 502,
            failure: 'bad-response',
            detail: 'payroll answered with a body over the size limit',
          },
        });
      });
    });

    it('refuses a content-length one byte over the cap before reading the body', async () => {
      const { handler, droppedByClient } = watched(async (_req, res) => {
        res.writeHead(200, { 'content-length': String(CAP + 1) });
        res.flushHeaders();
        await sleep(1500);
        if (!res.destroyed) res.end(patterned(CAP + 1));
      });
      const up = await stub(handler);
      const outcome = await settle(call(pool(up.url, { cap: false })).answer);
      expect(outcome).toMatchObject({
        ok: false,
        error: {
          status: 502,
          failure: 'bad-response',
          detail: 'payroll answered with a body over the size limit',
        },
      });
      expect(outcome.ms).toBeLessThan(1000);
      await sleep(50);
      expect(droppedByClient()).toBe(true);
    });

    it('is bad-response when a chunked body is cut off', async () => {
      const up = await stub((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"items":[');
        setTimeout(() => res.socket?.destroy(), 20);
      });
      const outcome = await settle(call(pool(up.url)).answer);
      expect(outcome).toMatchObject({
        ok: false,
        error: { status: 502, failure: 'bad-response', detail: 'payroll broke off its answer' },
      });
    });

    it('is bad-response when the connection ends cleanly before the announced content-length', async () => {
      const url = await raw((socket) =>
        socket.end(
          'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"short":',
        ),
      );
      const outcome = await settle(call(pool(url)).answer);
      expect(outcome).toMatchObject({ ok: false, error: { status: 502, failure: 'bad-response' } });
    });

    it('is bad-response for an unparsable chunked body after the headers', async () => {
      const chunked = 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n';
      const url = await raw((socket) => socket.write(chunked));
      const outcome = await settle(call(pool(url)).answer);
      expect(outcome).toMatchObject({ ok: false, error: { status: 502, failure: 'bad-response' } });
    });

    it('is bad-response (not unavailable, which is retried) for an answer that is not HTTP at all', async () => {
      const url = await raw((socket) => socket.end('SSH-2.0-OpenSSH_9.2\r\n\r\n'));
      const outcome = await settle(call(pool(url)).answer);
      expect(outcome).toMatchObject({ ok: false, error: { status: 502, failure: 'bad-response' } });
    });

    it('is unavailable when the connection closes before any answer', async () => {
      const url = await raw((socket) => socket.destroy());
      const outcome = await settle(call(pool(url)).answer);
      expect(outcome).toMatchObject({ ok: false, error: { status: 503, failure: 'unavailable' } });
    });
  });

  describe('abort', () => {
    it('a caller abort during the body rejects with an AbortError and drops the connection', async () => {
      const { handler, droppedByClient } = watched(drip(patterned(CAP), 64, {}, 20));
      const up = await stub(handler);
      const caller = new AbortController();
      const { answer } = call(pool(up.url), { caller: caller.signal });
      setTimeout(() => caller.abort(new Error('client went away')), 30);
      const outcome = await settle(answer);
      expect(outcome.ok).toBe(false);
      const error = outcome.ok ? undefined : outcome.error;
      expect(isUpstreamAbortedError(error)).toBe(true);
      expect(isProblemError(error)).toBe(false);
      expect(error).toMatchObject({ cause: new Error('client went away') });
      expect(outcome.ms).toBeLessThan(1000); // the body takes > 1.2 s
      await sleep(50);
      expect(droppedByClient()).toBe(true);
    });

    it('the deadline during the body is a timeout naming the reported deadline', async () => {
      const up = await stub(drip(patterned(CAP), 64, {}, 20));
      const outcome = await settle(call(pool(up.url), { deadlineMs: 100, reportedMs: 900 }).answer);
      expect(outcome).toMatchObject({
        ok: false,
        error: { status: 504, failure: 'timeout', detail: 'payroll did not answer within 900 ms' },
      });
    });

    it('a call aborted while it waits for a connection is never sent', async () => {
      const up = await stub(() => undefined);
      const single = pool(up.url, { connections: 1 });
      const first = call(single, { deadlineMs: 200 });
      const caller = new AbortController();
      const second = call(single, { caller: caller.signal });
      setTimeout(() => caller.abort(), 50);
      const [one, two] = await Promise.all([settle(first.answer), settle(second.answer)]);
      expect(one).toMatchObject({ ok: false, error: { status: 504, failure: 'timeout' } });
      expect(two.ok).toBe(false);
      expect(isUpstreamAbortedError(two.ok ? undefined : two.error)).toBe(true);
      expect(two.ms).toBeLessThan(150); // at the abort, not when the connection frees up (200 ms)
      await sleep(50);
      expect(up.requests).toHaveLength(1);
    });

    it('leaves no listener on the signal once the exchange has settled', async () => {
      const ok = await stub((_req, res) => void res.writeHead(200).end('{}'));
      const failing = await raw((socket) => socket.destroy());
      const done = call(pool(ok.url));
      const failed = call(pool(failing));
      await Promise.all([settle(done.answer), settle(failed.answer)]);
      expect(done.signal.listening).toBe(false);
      expect(failed.signal.listening).toBe(false);
    });
  });
});
