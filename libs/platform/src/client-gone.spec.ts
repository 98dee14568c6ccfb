import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { connect as connectSocket } from 'node:net';
import { connect as http2Connect, constants as h2constants, type ClientHttp2Session } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Get, Post, Req } from '@nestjs/common';
import { HttpMetrics } from '@frontdoor/observability';
import { captureLogs, startStub, type LogCapture, type Stub } from '@frontdoor/testing';
import { UpstreamClient } from '@frontdoor/upstream';
import type { FastifyRequest } from 'fastify';
import { callContextOf } from './call-context';
import { listenApp, observedModule, type ListenedApp } from './testing/listen-app';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 5 ms, failing after `timeoutMs` (a bound for a broken build, not a latency assertion). */
async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  for (const start = Date.now(); !condition(); await sleep(5)) {
    if (Date.now() - start > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
  }
}

/** The one upstream of the controller below (a real client to a loopback stub), set in beforeAll. */
let sales: UpstreamClient;

@Controller('orders')
class OrdersController {
  @Get()
  async list(@Req() request: FastifyRequest): Promise<{ status: number }> {
    return { status: (await sales.request({ method: 'GET', path: '/orders', ...callContextOf(request) })).status };
  }

  /** The call starts late: the client may be gone before it does. */
  @Get('late')
  async late(@Req() request: FastifyRequest): Promise<{ status: number }> {
    await sleep(200);
    return { status: (await sales.request({ method: 'GET', path: '/orders', ...callContextOf(request) })).status };
  }

  /** An answer far larger than the socket buffers: a client that stops reading leaves while it is being written. */
  @Get('big')
  big(): { items: string[] } {
    return { items: BIG };
  }

  @Post()
  async place(@Req() request: FastifyRequest): Promise<{ status: number }> {
    return { status: (await sales.request({ method: 'POST', path: '/orders', body: '{}', ...callContextOf(request) })).status };
  }
}

const BIG: string[] = Array.from({ length: 16_384 }, (_, i) => `${i}`.padEnd(1024, '.'));

/** What the stub upstream saw of one request (keyed by the x-request-id the gateway forwards). */
interface Seen {
  readonly arrivedAt: number;
  closedUnansweredAt?: number;
  answeredAt?: number;
}

/** How a client opens a request and then goes away from it. */
interface Transport {
  /** Sends the request; the function returned makes the client go away (socket destroyed, stream cancelled). */
  open(method: string, path: string, requestId: string, body?: string): () => void;
  close(): void;
}

/** HTTP/1.1 on a kept-alive connection, already used once: the client goes away by closing it. */
async function http1(app: ListenedApp): Promise<Transport> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const options = { host: '127.0.0.1', port: app.port, agent };
  await new Promise<void>((resolve, reject) => {
    httpRequest({ ...options, path: '/health/live' }, (res) => res.resume().on('end', resolve)).on('error', reject).end();
  });
  return {
    open(method, path, requestId, body) {
      const headers = { 'x-request-id': requestId, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
      const req = httpRequest({ ...options, method, path, headers });
      req.on('error', () => undefined);
      req.end(body);
      return () => req.destroy();
    },
    close: () => agent.destroy(),
  };
}

/** HTTP/2 over TLS: the client goes away by cancelling the stream (RST_STREAM); the session stays open. */
async function http2(app: ListenedApp): Promise<Transport> {
  const session: ClientHttp2Session = http2Connect(`https://127.0.0.1:${app.port}`, { rejectUnauthorized: false });
  session.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => session.once('connect', () => resolve()).once('error', reject));
  return {
    open(method, path, requestId, body) {
      const headers = { ':method': method, ':path': path, 'x-request-id': requestId, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
      const stream = session.request(headers, { endStream: body === undefined });
      stream.on('error', () => undefined);
      if (body !== undefined) stream.end(body);
      return () => stream.close(h2constants.NGHTTP2_CANCEL);
    },
    close: () => session.destroy(),
  };
}

describe('a client that goes away before its answer', () => {
  const seen = new Map<string, Seen>();
  let stub: Stub;
  let dir: string;
  let cert: string;
  let key: string;

  beforeAll(async () => {
    // GET /orders is held (never answered); POST /orders is answered after 300 ms
    stub = await startStub((req, res) => {
      const entry: Seen = { arrivedAt: performance.now() };
      seen.set(String(req.headers['x-request-id']), entry);
      res.once('close', () => {
        if (res.writableFinished) entry.answeredAt = performance.now();
        else entry.closedUnansweredAt = performance.now();
      });
      if (req.method !== 'POST') return;
      setTimeout(() => {
        if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"o-1"}');
      }, 300);
    });
    sales = new UpstreamClient({ name: 'sales', urls: [new URL(stub.url)], defaultDeadlineMs: 3000 });
    dir = mkdtempSync(join(tmpdir(), 'frontdoor-tls-'));
    cert = join(dir, 'cert.pem');
    key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  });
  afterAll(async () => {
    await sales?.close();
    await stub?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe.each([
    ['HTTP/1.1 keep-alive', 'h1', http1, false],
    ['HTTP/2', 'h2', http2, true],
  ] as const)('over %s', (_name, tag, connect, tls) => {
    let app: ListenedApp;
    let logs: LogCapture;
    let client: Transport;

    beforeAll(async () => {
      logs = captureLogs();
      const server = tls ? { logLevel: 'debug', tlsCertFile: cert, tlsKeyFile: key, http2: 'true' as const } : { logLevel: 'debug' };
      app = await listenApp(observedModule([OrdersController]), { logDestination: logs.stream, server });
      client = await connect(app);
    });
    afterAll(async () => {
      client?.close();
      await app?.close();
    });

    const linesOf = (requestId: string) => logs.lines().filter((line) => line['reqId'] === requestId);
    const accessLines = (requestId: string) => linesOf(requestId).filter((line) => line['msg'] === 'request');

    /** Opens the request, waits until the upstream has it (or `afterMs`), then the client goes away. */
    async function abandon(method: string, path: string, requestId: string, options: { body?: string; afterMs?: number } = {}): Promise<number> {
      const goAway = client.open(method, path, requestId, options.body);
      if (options.afterMs === undefined) await waitFor(() => seen.has(requestId), 2000, 'the upstream call');
      else await sleep(options.afterMs);
      goAway();
      return performance.now();
    }

    /** Waits for the request's access line, then a while longer: a second line would have come by then. */
    async function theAccessLines(requestId: string): Promise<Record<string, unknown>[]> {
      await waitFor(() => accessLines(requestId).length > 0, 2000, 'the access line');
      await sleep(300);
      return accessLines(requestId);
    }

    const requestsTotalOf = async (route: string, method: string, status: number) => {
      const text = await app.app.nest.get(HttpMetrics).text();
      const line = text.split('\n').find((l) => l.startsWith('http_requests_total{') && l.includes(`route="${route}"`) && l.includes(`method="${method}"`) && l.includes(`status="${status}"`));
      return line === undefined ? 0 : Number(line.split(' ').pop());
    };
    const requestsTotal = (method: string, status: number) => requestsTotalOf('/orders', method, status);

    it.each(['GET', 'HEAD'])('a %s: its upstream call is cancelled at once, and one access line (and metric) says 499', async (method) => {
      const id = `gone-${method}-${tag}`;
      const goneAt = await abandon(method, '/orders', id);
      await waitFor(() => seen.get(id)?.closedUnansweredAt !== undefined, 1000, 'the upstream connection closing');
      expect((seen.get(id)?.closedUnansweredAt as number) - goneAt).toBeLessThan(300); // the deadline is 3 s
      const lines = await theAccessLines(id);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 'info', method, route: '/orders', status: 499, upstreams: [{ upstream: 'sales', outcome: 'aborted' }] });
      expect(await requestsTotal(method, 499)).toBe(1);
      // expected, so no error nor warning, and no stack anywhere
      expect(linesOf(id).filter((line) => line['level'] !== 'info' && line['level'] !== 'debug')).toEqual([]);
      expect(JSON.stringify(linesOf(id))).not.toMatch(/stack|"err"/);
    });

    it.each(['GET', 'HEAD'])('a %s whose call had not started when the client went away: the call is never made', async (method) => {
      const id = `gone-late-${method}-${tag}`;
      await abandon(method, '/orders/late', id, { afterMs: 50 });
      const lines = await theAccessLines(id);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ route: '/orders/late', status: 499 });
      expect(lines[0]?.['upstreams']).toBeUndefined();
      expect(seen.has(id)).toBe(false);
    });

    it('a POST: its upstream call runs to its answer, and the one access line (499) records that outcome', async () => {
      const id = `gone-post-${tag}`;
      await abandon('POST', '/orders', id, { body: '{"sku":"a"}' });
      const lines = await theAccessLines(id);
      expect(seen.get(id)).toMatchObject({ answeredAt: expect.any(Number) });
      expect(seen.get(id)?.closedUnansweredAt).toBeUndefined();
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ method: 'POST', route: '/orders', status: 499, upstreams: [{ upstream: 'sales', outcome: '2xx', status: 200 }] });
      expect(await requestsTotal('POST', 499)).toBe(1);
    });

    if (tag === 'h1') {
      it('requests pipelined on one connection: each gets one access line with 499, no error and no stack; a POST still runs', async () => {
        const ids = ['pipe-1', 'pipe-2', 'pipe-3'];
        const socket = connectSocket(app.port);
        socket.on('error', () => undefined);
        await new Promise<void>((resolve) => socket.once('connect', resolve));
        const get = (id: string) => `GET /orders HTTP/1.1\r\nHost: x\r\nX-Request-Id: ${id}\r\n\r\n`;
        const post = (id: string) => `POST /orders HTTP/1.1\r\nHost: x\r\nX-Request-Id: ${id}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`;
        socket.write(get('pipe-1') + get('pipe-2') + post('pipe-3'));
        await waitFor(() => ids.every((id) => seen.has(id)), 2000, 'the three upstream calls');
        socket.destroy();
        for (const id of ids) expect(await theAccessLines(id)).toHaveLength(1);
        expect(accessLines('pipe-1')[0]).toMatchObject({ method: 'GET', status: 499, upstreams: [{ outcome: 'aborted' }] });
        expect(accessLines('pipe-2')[0]).toMatchObject({ method: 'GET', status: 499, upstreams: [{ outcome: 'aborted' }] });
        expect(accessLines('pipe-3')[0]).toMatchObject({ method: 'POST', status: 499, upstreams: [{ outcome: '2xx', status: 200 }] });
        expect(seen.get('pipe-2')?.closedUnansweredAt).toEqual(expect.any(Number));
        expect(seen.get('pipe-3')?.answeredAt).toEqual(expect.any(Number));
        const others = ids.flatMap((id) => linesOf(id)).filter((line) => line['level'] !== 'info' && line['level'] !== 'debug');
        expect(others).toEqual([]);
        expect(JSON.stringify(ids.flatMap((id) => linesOf(id)))).not.toMatch(/stack|"err"/);
      });
    }

    it('a client that leaves while its large answer is being written: one access line with the status it was sent', async () => {
      const id = `gone-mid-answer-${tag}`;
      const before = await requestsTotalOf('/orders/big', 'GET', 200);
      // h1: a connection of its own, which reads the first bytes of the 16 MiB answer and closes
      const goAway =
        tag === 'h1'
          ? await new Promise<() => void>((resolve) => {
              const socket = connectSocket(app.port);
              socket.on('error', () => undefined);
              socket.once('connect', () => socket.write(`GET /orders/big HTTP/1.1\r\nHost: x\r\nX-Request-Id: ${id}\r\n\r\n`));
              socket.once('data', () => {
                socket.pause();
                resolve(() => socket.destroy());
              });
            })
          : client.open('GET', '/orders/big', id);
      if (tag === 'h2') await sleep(200); // the stream's flow-control window holds the rest
      goAway();
      const lines = await theAccessLines(id);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ method: 'GET', route: '/orders/big', status: 200 });
      expect(await requestsTotalOf('/orders/big', 'GET', 200)).toBe(before + 1);
    });

    it('a client that stays gets its answer and one access line with the real status', async () => {
      const id = `stays-${tag}`;
      client.open('POST', '/orders', id, '{"sku":"a"}');
      const lines = await theAccessLines(id);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ status: 201, upstreams: [{ upstream: 'sales', outcome: '2xx', status: 200 }] });
    });
  });
});
