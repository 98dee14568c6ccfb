import { Controller, Get } from '@nestjs/common';
import { Public } from '@frontdoor/rbac';
import { captureLogs, type LogCapture } from '@frontdoor/testing';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as http2Connect } from 'node:http2';
import { request as httpsRequest } from 'node:https';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBffApp } from './create-bff-app';
import { StartupError } from './server-options';
import { listenApp, observedModule, testServer } from './testing/listen-app';

@Public()
@Controller('ping')
class PingController {
  @Get()
  ping(): { pong: true } {
    return { pong: true };
  }
}

const PingModule = observedModule([PingController]);

/** Writes raw bytes on a fresh connection; resolves with everything the server sent until it closed. */
function raw(port: number, ...chunks: { data: string; afterMs?: number }[]): Promise<{ text: string; closedAfterMs: number }> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const started = Date.now();
    let text = '';
    socket.on('data', (d) => (text += d.toString()));
    socket.on('close', () => resolve({ text, closedAfterMs: Date.now() - started }));
    socket.on('error', () => undefined);
    socket.connect(port, '127.0.0.1', () => {
      for (const chunk of chunks) setTimeout(() => socket.writable && socket.write(chunk.data), chunk.afterMs ?? 0);
    });
    setTimeout(() => socket.destroy(), 8000);
  });
}

describe('server hardening', () => {
  let port: number;
  let close: () => Promise<void>;
  beforeAll(async () => ({ port, close } = await listenApp(PingModule, { server: { requestTimeoutMs: 600, headersTimeoutMs: 400 } })));
  afterAll(() => close());

  it('answers with security headers and names no server', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/ping`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('server')).toBeNull();
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('strict-transport-security')).toBeNull(); // plain HTTP: no HSTS
  });

  it.each([
    ['GET http://gateway.example/ping HTTP/1.1', 200, /"pong":true/],
    ['GET http://gateway.example:8080/ping?x=1 HTTP/1.1', 200, /"pong":true/],
    ['GET http://gateway.example//ping HTTP/1.1', 400, /invalid-path/],
    ['GET http://gateway.example/../ping HTTP/1.1', 400, /invalid-path/],
  ])('routes an absolute-form target by its path (RFC 9112 §3.2.2): %s → %d', async (line, status, body) => {
    const { text } = await raw(port, { data: `${line}\r\nHost: other.example\r\nConnection: close\r\n\r\n` });
    expect(text.slice(0, 12)).toBe(`HTTP/1.1 ${status}`);
    expect(text).toMatch(body);
  });

  it.each([
    ['GET /ping?q=%C3 HTTP/1.1', 400],
    ['GET /ping?a=1#frag HTTP/1.1', 400],
    ['GET /ping?q=caf%C3%A9 HTTP/1.1', 200],
  ])('%s → %d (a query the gateway would pass on changed, or a fragment, is refused)', async (line, status) => {
    const { text } = await raw(port, { data: `${line}\r\nHost: x\r\nConnection: close\r\n\r\n` });
    expect(text).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    if (status === 400) expect(text).toMatch(/"type":"urn:frontdoor:problem:bad-request".*"detail":"The request target is invalid: /);
  });

  it('refuses a request with two Host headers with a 400 problem', async () => {
    const { text } = await raw(port, { data: 'GET /ping HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\nConnection: close\r\n\r\n' });
    expect(text).toMatch(/^HTTP\/1\.1 400/);
    expect(text).toMatch(/application\/problem\+json/);
    expect(text).toMatch(/more than one Host header/);
  });

  it('refuses a request with two Content-Type headers with a 400 problem (Node keeps the first; a proxy may read the other as XML)', async () => {
    const body = '{"a":1}';
    const { text } = await raw(port, {
      data: `POST /ping HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\ncontent-type: application/xml\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    });
    expect(text).toMatch(/^HTTP\/1\.1 400/);
    expect(text).toMatch(/more than one Content-Type header/);
  });

  it('refuses a request with two Authorization headers with a 400 problem (a proxy in front may have read the other)', async () => {
    const { text } = await raw(port, {
      data: 'GET /ping HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer a\r\nauthorization: Bearer b\r\nConnection: close\r\n\r\n',
    });
    expect(text).toMatch(/^HTTP\/1\.1 400/);
    expect(text).toMatch(/more than one Authorization header/);
    const one = await raw(port, { data: 'GET /ping HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer a\r\nConnection: close\r\n\r\n' });
    expect(one.text).toMatch(/^HTTP\/1\.1 200/);
  });

  it.each([
    ['gzip, chunked', 'HTTP/1.1', 501, /The only transfer coding accepted is chunked/],
    ['identity, chunked', 'HTTP/1.1', 501, /The only transfer coding accepted is chunked/],
    ['chunked, chunked', 'HTTP/1.1', 400, /urn:frontdoor:problem:bad-request/], // Node's parser refuses it first
    ['chunked', 'HTTP/1.0', 400, /HTTP\/1\.0 request may not carry Transfer-Encoding/],
  ])(
    'Transfer-Encoding %s in %s is refused (%d) and the connection closed, the request pipelined behind it never answered (RFC 9112 §6.1)',
    async (codings, version, status, detail) => {
      const body = '5\r\nhello\r\n0\r\n\r\n';
      const next = 'GET /ping HTTP/1.1\r\nHost: x\r\n\r\n';
      const { text } = await raw(port, {
        data: `GET /ping ${version}\r\nHost: x\r\nConnection: keep-alive\r\nTransfer-Encoding: ${codings}\r\n\r\n${body}${next}`,
      });
      expect(text).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      expect(text).toMatch(/application\/problem\+json/);
      expect(text).toMatch(detail);
      expect(text).toMatch(/connection: close/i);
      expect(text.match(/HTTP\/1\.1 \d{3} /g)).toHaveLength(1);
    },
  );

  it('a chunked body alone is read as before', async () => {
    const { text } = await raw(port, {
      data: 'GET /ping HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\nConnection: close\r\n\r\n0\r\n\r\n',
    });
    expect(text).toMatch(/^HTTP\/1\.1 200/);
  });

  it('refuses an HTTP/1.1 request without Host with a 400 problem (not the bare 400 of Node), and lets HTTP/1.0 through', async () => {
    const { text } = await raw(port, { data: 'GET /ping HTTP/1.1\r\nConnection: close\r\n\r\n' });
    expect(text).toMatch(/^HTTP\/1\.1 400/);
    expect(text).toMatch(/application\/problem\+json/);
    expect(text).toMatch(/x-request-id: /i);
    expect(text).toMatch(/no Host header/);
    const old = await raw(port, { data: 'GET /ping HTTP/1.0\r\n\r\n' });
    expect(old.text).toMatch(/^HTTP\/1\.1 200/);
  });

  it.each([
    ['a garbage request line', 'NOT HTTP AT ALL\r\n\r\n', 400],
    ['Content-Length with Transfer-Encoding', 'POST /ping HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400],
    ['headers over the limit', `GET /ping HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
  ])('answers a request the HTTP parser refuses (%s) with a problem and the security headers', async (_label, data, status) => {
    const { text } = await raw(port, { data });
    expect(text).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(text).toMatch(/content-type: application\/problem\+json/i);
    expect(text).toMatch(/x-request-id: [0-9a-f-]{36}\r\n/i);
    expect(text).toMatch(/x-content-type-options: nosniff\r\n/i);
    expect(text).toMatch(/x-frame-options: DENY\r\n/i);
    expect(text).toMatch(/referrer-policy: no-referrer\r\n/i);
    expect(text).toMatch(/vary: accept\r\n/i);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toMatchObject({ status });
  });

  it.each([
    ['with CORS (web-bff)', 'accept, origin', { cors: { origins: ['https://app.example'], methods: ['GET'], allowedHeaders: [], exposedHeaders: [], maxAgeS: 60 } }],
    ['with compression (mobile-bff)', 'accept, accept-encoding', { compression: true }],
  ])('a refusal before any route (the parser, CONNECT, Expect), %s, varies as every answer of the app does: %s', async (_label, vary, options) => {
    const other = await listenApp(PingModule, options as Parameters<typeof listenApp>[1]);
    try {
      for (const data of ['NOT HTTP AT ALL\r\n\r\n', 'GET /ping HTTP/1.1\r\nHost: x\r\nExpect: bogus\r\n\r\n', 'CONNECT x:1 HTTP/1.1\r\nHost: x\r\n\r\n']) {
        const { text } = await raw(other.port, { data });
        expect([data, text.match(/^vary: (.*)\r$/im)?.[1]]).toEqual([data, vary]);
      }
    } finally {
      await other.close();
    }
  });

  const longTarget = `/ping?q=${'a'.repeat(20_000)}`;
  it.each([
    ['a target in one chunk', [`GET ${longTarget} HTTP/1.1\r\nHost: x\r\n\r\n`], 414],
    ['a target in two chunks', [`GET ${longTarget.slice(0, 10_000)}`, `${longTarget.slice(10_000)} HTTP/1.0\n\n`], 414],
    ['a target cut by the end of what was sent', [`GET ${longTarget}`], 414],
    ['a target in absolute form', [`GET http://x${longTarget} HTTP/1.1\r\nHost: x\r\n\r\n`], 414],
    ['a header field after a short request line', [`GET /ping HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`], 431],
    ['a header field in a chunk of its own', ['GET /ping HTTP/1.1\r\nHost: x\r\nX-Big: ', `${'a'.repeat(20_000)}\r\n\r\n`], 431],
    ['a header field holding a request line', [`GET /ping HTTP/1.1\r\nHost: x\r\nX-Big: GET /${'a'.repeat(20_000)} HTTP/1.1\r\n\r\n`], 431],
  ])(
    'over the header size limit, %s: a request target is a 414, a header field a 431 (RFC 9110 §15.5.15, as nginx)',
    async (_label, data, status) => {
      const { text } = await raw(port, ...data.map((chunk, i) => ({ data: chunk, afterMs: i * 50 })));
      expect(text).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toMatchObject({
        type: status === 414 ? 'urn:frontdoor:problem:uri-too-long' : 'urn:frontdoor:problem:headers-too-large',
        status,
      });
    },
  );

  it('a request line over the limit behind an answered request: that answer, then the 414', async () => {
    const ping = 'GET /ping HTTP/1.1\r\nHost: x\r\n\r\n';
    const { text } = await raw(port, { data: `${ping}GET ${longTarget} HTTP/1.1\r\nHost: x\r\n\r\n` });
    expect(text.match(/HTTP\/1\.1 \d{3} /g)).toEqual(['HTTP/1.1 200 ', 'HTTP/1.1 414 ']);
  });

  it('cuts off a client that sends its body too slowly (no socket held hostage)', async () => {
    const { text, closedAfterMs } = await raw(
      port,
      { data: 'POST /ping HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{' },
      { data: '"', afterMs: 300 },
    );
    expect(closedAfterMs).toBeLessThan(5000);
    expect(text === '' || /^HTTP\/1\.1 408/.test(text)).toBe(true);
  });

  it('cuts off a client that never finishes its headers (slowloris)', async () => {
    const { closedAfterMs } = await raw(port, { data: 'GET /ping HTTP/1.1\r\nHost: x\r\n' }, { data: 'X-A: 1\r\n', afterMs: 200 });
    expect(closedAfterMs).toBeLessThan(5000);
  });

  it('answers a timed-out request with a 408 problem whose body says 408 too (RFC 9457 §3.1.3)', async () => {
    const { text } = await raw(port, { data: 'GET /ping HTTP/1.1\r\nHost: x\r\nX-Slow: 1' });
    expect(text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toMatchObject({
      type: 'urn:frontdoor:problem:request-timeout',
      title: 'Request Timeout',
      status: 408,
    });
  });
});

describe('a target that is not a path (OPTIONS *) on an app with CORS, whose plugin routes OPTIONS *', () => {
  const cors = { origins: ['http://localhost:4200'], methods: ['GET'], allowedHeaders: [], exposedHeaders: [], maxAgeS: 600 };
  const localhost = { address: '127.0.0.1', prefix: 32, family: 'ipv4' as const };
  const optionsStar = (port: number, origin = '') =>
    raw(port, { data: `OPTIONS * HTTP/1.1\r\nHost: x\r\n${origin}Connection: close\r\n\r\n` });

  it.each([
    ['no Origin', ''],
    ['an allowed Origin', 'Origin: http://localhost:4200\r\n'],
  ])('is the door\'s 400 with the security headers, as on apps without CORS and as nginx answers (%s)', async (_label, origin) => {
    const app = await listenApp(PingModule, { cors });
    try {
      const { text } = await optionsStar(app.port, origin);
      expect(text).toMatch(/^HTTP\/1\.1 400 /);
      expect(text).toMatch(/"type":"urn:frontdoor:problem:invalid-path"/);
      expect(text).toMatch(/\r\nx-content-type-options: nosniff\r\n/i);
      expect(text).toMatch(/\r\nvary: accept, origin\r\n/i);
      expect(text).toMatch(/\r\nx-request-id: [A-Za-z0-9._-]+\r\n/i);
    } finally {
      await app.close();
    }
  });

  it('is a 403 from an address IP_DENY lists: the IP lists come before anything else', async () => {
    const app = await listenApp(PingModule, { cors, server: { ipDeny: [localhost] } });
    try {
      const { text } = await optionsStar(app.port);
      expect(text).toMatch(/^HTTP\/1\.1 403 /);
      expect(text).toMatch(/Requests from this address are not allowed/);
    } finally {
      await app.close();
    }
  });
});

describe('what the HTTP parser refuses: one answer and one access line each, like nginx', () => {
  let port: number;
  let close: () => Promise<void>;
  let logs: LogCapture;
  beforeAll(async () => {
    logs = captureLogs();
    ({ port, close } = await listenApp(PingModule, { logDestination: logs.stream, server: { logLevel: 'info' } }));
  });
  afterAll(() => close());

  const accessLines = () => logs.lines().filter((line) => line['msg'] === 'request');
  /** Waits until `count` access lines more than `before` were written (the logger batches, the capture does not). */
  async function linesAfter(before: number, count: number): Promise<Record<string, unknown>[]> {
    for (const start = Date.now(); accessLines().length < before + count && Date.now() - start < 2000; ) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 100)); // a line too many would have come by now
    return accessLines().slice(before);
  }
  const requestIdOf = (answer: string) => /x-request-id: ([^\r]+)\r\n/i.exec(answer)?.[1];

  it('a request refused whole: its access line has the status and the id the client was given', async () => {
    const before = accessLines().length;
    const { text } = await raw(port, { data: 'NOT HTTP AT ALL\r\n\r\n' });
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    const lines = await linesAfter(before, 1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ status: 400, route: 'unmatched', reqId: requestIdOf(text) });
  });

  it('a request whose body the parser refuses (a bad chunk): the answer carries its id, its one access line says 400, not 499', async () => {
    const before = accessLines().length;
    const head = 'POST /ping HTTP/1.1\r\nHost: x\r\nX-Request-Id: bad-chunk-1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';
    const { text } = await raw(port, { data: head }, { data: 'zz\r\n', afterMs: 100 });
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(requestIdOf(text)).toBe('bad-chunk-1');
    const lines = await linesAfter(before, 1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ reqId: 'bad-chunk-1', method: 'POST', status: 400 });
  });

  it('a request answered before its body was read (an invalid path) whose body then fails gets that one answer, no second one, and the connection closes', async () => {
    const before = accessLines().length;
    // path hygiene answers at the door, before the body is read; the parser then reaches the bad chunk
    const head = 'POST /a/%2e%2e/ping HTTP/1.1\r\nHost: x\r\nX-Request-Id: early-400\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';
    // a client that pipelines a GET after the bad chunk must not read a stray refusal as the GET's answer
    const { text, closedAfterMs } = await raw(port, { data: `${head}zz\r\nhello\r\n0\r\n\r\nGET /ping HTTP/1.1\r\nHost: x\r\n\r\n` });
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(text).toContain('urn:frontdoor:problem:invalid-path');
    expect(text.match(/HTTP\/1\.1 \d{3} /g)).toHaveLength(1);
    expect(closedAfterMs).toBeLessThan(5000);
    const lines = await linesAfter(before, 1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ reqId: 'early-400', status: 400 });
  });

  it.each([
    ['an unknown method', 'FOO /ping HTTP/1.1\r\nHost: x\r\n\r\n', 501, 'not-implemented', {}],
    ['CONNECT (nothing is tunnelled)', 'CONNECT 127.0.0.1:4001 HTTP/1.1\r\nHost: 127.0.0.1:4001\r\n\r\n', 501, 'not-implemented', { method: 'CONNECT', path: '127.0.0.1:4001' }],
    // answered by the app, like any request (was written below it): its route is known
    ['an Expect other than 100-continue', 'GET /ping?q=1 HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\n\r\n', 417, 'expectation-failed', { method: 'GET', path: '/ping', route: '/ping' }],
  ])('%s: a problem with its status and a request id (not Node\'s bare answer or silence), one access line', async (_what, request, status, slug, seen) => {
    const before = accessLines().length;
    const { text } = await raw(port, { data: request });
    expect(text).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(text).toMatch(/\r\nx-content-type-options: nosniff\r\n/i);
    const id = requestIdOf(text);
    expect(id).toBeDefined();
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toMatchObject({ type: `urn:frontdoor:problem:${slug}`, status, requestId: id });
    const lines = await linesAfter(before, 1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject(Object.assign({ status, route: 'unmatched', reqId: id, ip: '127.0.0.1' }, seen));
  });

  it('CONNECT keeps the client\'s request id', async () => {
    const { text } = await raw(port, { data: 'CONNECT 127.0.0.1:4001 HTTP/1.1\r\nHost: 127.0.0.1:4001\r\nX-Request-Id: audit-c501\r\n\r\n' });
    expect(text).toMatch(/^HTTP\/1\.1 501 /);
    expect(text).toMatch(/\r\nx-request-id: audit-c501\r\n/i);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toMatchObject({ requestId: 'audit-c501' });
  });

  it('an Expect other than 100-continue gets what every answer gets: the client\'s request id, XML when asked, the connection closed', async () => {
    const { text, closedAfterMs } = await raw(port, {
      data: 'GET /ping HTTP/1.1\r\nHost: x\r\nX-Request-Id: audit-r417\r\nAccept: application/xml\r\nExpect: bogus\r\n\r\nGET /ping HTTP/1.1\r\nHost: x\r\n\r\n',
    });
    expect(text).toMatch(/^HTTP\/1\.1 417 /);
    expect(text).toMatch(/\r\nx-request-id: audit-r417\r\n/i);
    expect(text).toMatch(/\r\ncontent-type: application\/problem\+xml/i);
    expect(text).toMatch(/\r\nconnection: close\r\n/i);
    expect(text.match(/HTTP\/1\.1 \d{3} /g)).toHaveLength(1);
    expect(closedAfterMs).toBeLessThan(5000);
  });

  it.each([
    ['HTTP/1.1 with Connection: close', 'GET /ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Request-Id: closing-11\r\n\r\n'],
    ['HTTP/1.0 without keep-alive', 'GET /ping HTTP/1.0\r\nX-Request-Id: closing-10\r\n\r\n'],
  ])('bytes after a request that closes its connection (%s) are neither read nor answered: one answer, one access line', async (_what, request) => {
    const before = accessLines().length;
    const { text, closedAfterMs } = await raw(port, { data: `${request}GET /ping HTTP/1.1\r\nHost: x\r\n\r\n` });
    expect(text).toMatch(/^HTTP\/1\.[01] 200 /);
    expect(text.match(/HTTP\/1\.[01] \d{3} /g)).toHaveLength(1);
    expect(text).toContain('{"pong":true}');
    expect(closedAfterMs).toBeLessThan(5000);
    const lines = await linesAfter(before, 1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ status: 200, reqId: requestIdOf(text) });
  });

  it.each([
    ['HTTP/2.0', 'GET /ping HTTP/2.0\r\nHost: x\r\n\r\n'],
    ['HTTP/0.9', 'GET /ping HTTP/0.9\r\n\r\n'],
    ['HTTP/2.0 (HEAD)', 'HEAD /ping HTTP/2.0\r\nHost: x\r\n\r\n'],
  ])('a request line claiming %s on an HTTP/1 connection: 505 with a problem, the connection closed, one access line', async (_what, request) => {
    const before = accessLines().length;
    const { text, closedAfterMs } = await raw(port, { data: `${request}GET /ping HTTP/1.1\r\nHost: x\r\n\r\n` });
    expect(text).toMatch(/^HTTP\/1\.1 505 /);
    expect(text).toMatch(/\r\nconnection: close\r\n/i);
    // one answer: the request pipelined behind it is not served on a connection whose framing is in doubt
    expect(text.match(/HTTP\/1\.1 \d{3} /g)).toHaveLength(1);
    expect(closedAfterMs).toBeLessThan(5000);
    const id = requestIdOf(text);
    if (!request.startsWith('HEAD')) {
      expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toMatchObject({ type: 'urn:frontdoor:problem:http-version-not-supported', status: 505, requestId: id });
    }
    const lines = await linesAfter(before, 1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ status: 505, reqId: id, ip: '127.0.0.1' });
  });

  it('a valid request pipelined before a malformed one is answered first, then the refusal; one access line each', async () => {
    const before = accessLines().length;
    const { text } = await raw(port, { data: 'GET /ping HTTP/1.1\r\nHost: x\r\nX-Request-Id: piped-ok\r\n\r\nGET /ping HTTP/1.1\r\nBad Header Line\r\n\r\n' });
    expect(text).toMatch(/^HTTP\/1\.1 200 /);
    const second = text.indexOf('HTTP/1.1 400 ');
    expect(second).toBeGreaterThan(0);
    expect(text.slice(0, second)).toContain('{"pong":true}');
    const lines = await linesAfter(before, 2);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ reqId: 'piped-ok', status: 200 });
    expect(lines[1]).toMatchObject({ status: 400, route: 'unmatched', reqId: requestIdOf(text.slice(second)) });
  });
});

describe('TLS termination and HTTP/2', () => {
  let dir: string;
  let cert: string;
  let key: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'frontdoor-tls-'));
    cert = join(dir, 'cert.pem');
    key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** One HTTP/2 request over TLS (the test certificate is not verified): its status, headers and body. */
  function h2Request(port: number, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
    return new Promise((resolve, reject) => {
      const session = http2Connect(`https://127.0.0.1:${port}`, { rejectUnauthorized: false });
      session.on('error', reject);
      const stream = session.request(headers);
      let body = '';
      let answer: Record<string, unknown> = {};
      stream.on('response', (received) => (answer = received));
      stream.on('data', (d: Buffer) => (body += d.toString()));
      stream.on('end', () => {
        session.close();
        resolve({ status: Number(answer[':status']), headers: answer, body });
      });
    });
  }

  it('an Expect other than 100-continue on an HTTP/2 stream is a 417 problem too (no Connection field there)', async () => {
    const { port, close } = await listenApp(PingModule, { server: { tlsCertFile: cert, tlsKeyFile: key, http2: 'true' } });
    try {
      const h2 = await h2Request(port, { ':path': '/ping', expect: 'bogus', 'x-request-id': 'h2-417' });
      expect([h2.status, h2.headers['x-request-id'], (JSON.parse(h2.body) as { type: string }).type]).toEqual([417, 'h2-417', 'urn:frontdoor:problem:expectation-failed']);
    } finally {
      await close();
    }
  });

  it('serves HTTP/2 and HTTP/1.1 over TLS with HSTS', async () => {
    const { port, close } = await listenApp(PingModule, { server: { tlsCertFile: cert, tlsKeyFile: key, http2: 'true' } });
    try {
      const h2 = await h2Request(port, { ':path': '/ping' });
      expect([h2.status, h2.body, h2.headers['strict-transport-security']]).toEqual([200, '{"pong":true}', 'max-age=31536000']);
      const h1 = await new Promise<number>((resolve, reject) =>
        httpsRequest({ host: '127.0.0.1', port, path: '/ping', rejectUnauthorized: false }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end(),
      );
      expect(h1).toBe(200);
    } finally {
      await close();
    }
  });

  it.each([
    ['a certificate without its key', { tlsCertFile: 'x.pem' }, /must be set together/],
    ['HTTP/2 without TLS', { http2: 'true' as const }, /needs TLS_CERT_FILE/],
    ['an unreadable key file', { tlsCertFile: '/nonexistent/cert.pem', tlsKeyFile: '/nonexistent/key.pem' }, /could not be read/],
  ])('%s stops the start with a clear message', async (_label, extra, message) => {
    await expect(createBffApp(PingModule, { app: 't', server: testServer(extra) })).rejects.toThrow(message);
    await expect(createBffApp(PingModule, { app: 't', server: testServer(extra) })).rejects.toBeInstanceOf(StartupError);
  });
});
