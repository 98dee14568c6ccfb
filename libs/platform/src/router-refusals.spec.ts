import { Controller, Get, Param } from '@nestjs/common';
import { captureLogs, type LogCapture } from '@frontdoor/testing';
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { SHOWN_PATH_CHARS } from './problem-response';
import { listenApp, observedModule, type ListenedApp } from './testing/listen-app';

@Controller('items')
class ItemsController {
  @Get(':id')
  item(@Param('id') id: string): { id: string } {
    return { id };
  }
}

@Controller('slow')
class SlowController {
  @Get()
  async slow(): Promise<{ done: true }> {
    await sleep(300);
    return { done: true };
  }
}

/** The access lines logged so far, waiting a little for the one of an answer just received (written after it). */
async function accessLines(logs: LogCapture, count: number): Promise<Record<string, unknown>[]> {
  for (let i = 0; i < 40; i++) {
    const lines = logs.lines().filter((line) => line['msg'] === 'request');
    if (lines.length >= count) return lines;
    await sleep(25);
  }
  return logs.lines().filter((line) => line['msg'] === 'request');
}

describe("requests Fastify's router refuses before any hook (frameworkErrors)", () => {
  let app: ListenedApp;
  let logs: LogCapture;
  beforeEach(async () => {
    logs = captureLogs();
    app = await listenApp(observedModule([ItemsController]), {
      server: { logLevel: 'info' },
      logDestination: logs.stream,
    });
  });
  afterEach(() => app.close());

  it.each([
    [
      'a path parameter too long',
      `/items/${'x'.repeat(200)}`,
      414,
      'uri-too-long',
      'FST_ERR_MAX_PARAM_LENGTH',
    ],
    ['a path that cannot be decoded', '/items/%zz', 400, 'bad-request', 'FST_ERR_BAD_URL'],
  ])(
    '%s: a problem with the security headers, one access line and a metric sample, no path echoed',
    async (_name, path, status, slug, code) => {
      const res = await fetch(`${app.url}${path}?q=secret`);
      expect(res.status).toBe(status);
      // before: only `vary: origin` (CORS), none of the headers the security hook gives every other answer
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('vary')).toBe('accept');
      const requestId = res.headers.get('x-request-id');
      const body = await res.text();
      // the route-independent form of the parser's refusals: the 414 echoed the whole path
      expect(JSON.parse(body)).toEqual({
        type: `urn:frontdoor:problem:${slug}`,
        title: expect.any(String),
        status,
        detail: expect.any(String),
        instance: '/',
        requestId,
      });

      const lines = await accessLines(logs, 1);
      expect(lines).toEqual([
        expect.objectContaining({
          reqId: requestId,
          method: 'GET',
          route: 'unmatched',
          path,
          ip: '127.0.0.1',
          status,
          refused: code,
        }),
      ]);
      const metrics = await (await fetch(`${app.url}/metrics`)).text();
      expect(metrics).toContain(
        `http_requests_total{route="unmatched",method="GET",status="${status}",app="t"} 1`,
      );
    },
  );

  it('a refused path longer than SHOWN_PATH_CHARS is cut in its access line', async () => {
    const path = `/items/${'y'.repeat(1500)}`;
    expect((await fetch(`${app.url}${path}`)).status).toBe(414);
    const [line] = await accessLines(logs, 1);
    expect(line?.['path']).toBe(`${path.slice(0, SHOWN_PATH_CHARS)}...`);
  });
});

describe('the access line: the client address, the path cut', () => {
  let app: ListenedApp;
  let logs: LogCapture;
  afterEach(() => app.close());

  it('names the client address (the socket) and cuts a long path, in the line and in the problem', async () => {
    logs = captureLogs();
    app = await listenApp(observedModule([ItemsController]), {
      server: { logLevel: 'info' },
      logDestination: logs.stream,
    });
    const long = `/nowhere/${'z'.repeat(1500)}`;
    const res = await fetch(`${app.url}${long}?token=secret`, {
      headers: { 'x-forwarded-for': '203.0.113.7' },
    });
    expect(res.status).toBe(404);
    expect((JSON.parse(await res.text()) as { instance: string }).instance).toBe(
      `${long.slice(0, SHOWN_PATH_CHARS)}...`,
    );
    expect((await fetch(`${app.url}/items/a1`)).status).toBe(200);
    const lines = await accessLines(logs, 2);
    // X-Forwarded-For from an address not in TRUST_PROXY is not believed
    expect(lines[0]).toMatchObject({
      route: 'unmatched',
      status: 404,
      ip: '127.0.0.1',
      path: `${long.slice(0, SHOWN_PATH_CHARS)}...`,
    });
    expect(lines[1]).toMatchObject({ route: '/items/:id', status: 200, ip: '127.0.0.1', path: '/items/a1' });
    expect(JSON.stringify(lines[0]).length).toBeLessThan(800);
  });

  it('names the client address of a request whose client left before its answer (499)', async () => {
    logs = captureLogs();
    app = await listenApp(observedModule([SlowController]), {
      server: { logLevel: 'info' },
      logDestination: logs.stream,
    });
    const gone = request({ host: '127.0.0.1', port: app.port, path: '/slow' });
    gone.on('error', () => undefined).end();
    await sleep(100);
    gone.destroy();
    const [line] = await accessLines(logs, 1);
    // the socket is closed when the line is written: its address was read when it opened
    expect(line).toMatchObject({ route: '/slow', status: 499, ip: '127.0.0.1' });
  });

  it('names the address X-Forwarded-For gives when the peer is in TRUST_PROXY', async () => {
    logs = captureLogs();
    app = await listenApp(observedModule([ItemsController]), {
      server: { logLevel: 'info', trustProxy: [{ address: '127.0.0.1', prefix: 32, family: 'ipv4' }] },
      logDestination: logs.stream,
    });
    expect(
      (await fetch(`${app.url}/items/a1`, { headers: { 'x-forwarded-for': '203.0.113.7' } })).status,
    ).toBe(200);
    expect(
      (await fetch(`${app.url}/items/%zz`, { headers: { 'x-forwarded-for': '203.0.113.8' } })).status,
    ).toBe(400);
    const lines = await accessLines(logs, 2);
    expect(lines.map((line) => line['ip'])).toEqual(['203.0.113.7', '203.0.113.8']);
  });
});
