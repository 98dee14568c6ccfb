import {
  Controller,
  ForbiddenException,
  Get,
  Injectable,
  UnauthorizedException,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
  HttpException,
  Put,
} from '@nestjs/common';
import { ProblemError } from '@frontdoor/errors';
import { captureLogs, type LogCapture } from '@frontdoor/testing';
import { listenApp, observedModule } from './testing/listen-app';

/** Guards throw the framework's own exceptions, as passport and the throttler do: all must render as problems. */
@Injectable()
class ThrowingGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const which = context.switchToHttp().getRequest<{ headers: Record<string, string> }>().headers['x-throw'];
    if (which === '401') throw new UnauthorizedException('passport says: jwt malformed at line 3');
    if (which === '403') throw new ForbiddenException('Forbidden resource');
    if (which === '429') throw new HttpException('ThrottlerException: Too Many Requests', 429);
    if (which === 'problem') throw new ProblemError('unauthorized', 'Authentication is required.', { headers: { 'WWW-Authenticate': 'Bearer' } });
    if (which === '503') {
      const cause = new Error('Stream is not writeable and enableOfflineQueue options is false');
      throw new ProblemError('service-unavailable', 'The API key store is unavailable; retry later.', { headers: { 'Retry-After': '1' }, cause });
    }
    if (which === '503-bare') throw new ProblemError('service-unavailable', 'This instance is shutting down.');
    if (which === 'bug') throw new TypeError("Cannot read properties of undefined (reading 'secret') at /srv/app/main.js:1");
    return true;
  }
}

@Controller('guarded')
@UseGuards(ThrowingGuard)
class GuardedController {
  @Get()
  ok(): { ok: true } {
    return { ok: true };
  }
}

@Controller('items')
class ItemsController {
  @Get(':id')
  one(): { id: string } {
    return { id: 'x' };
  }

  @Put(':id')
  replace(): { id: string } {
    return { id: 'x' };
  }
}

const TestModule = observedModule([GuardedController, ItemsController], 'test');

describe('the one problem filter', () => {
  let base: string;
  let close: () => Promise<void>;
  let logs: LogCapture;

  beforeAll(async () => {
    logs = captureLogs();
    ({ url: base, close } = await listenApp(TestModule, {
      app: 'test',
      logDestination: logs.stream,
      server: { logLevel: 'info', ipDeny: [{ address: '10.9.9.9', prefix: 32, family: 'ipv4' }] },
    }));
  });
  afterAll(() => close());

  it.each([
    ['401', 401, 'unauthorized', 'Authentication is required.'],
    ['403', 403, 'forbidden', 'Access to this resource is not allowed.'],
    ['429', 429, 'rate-limited', 'The request could not be handled.'],
    ['problem', 401, 'unauthorized', 'Authentication is required.'],
    ['bug', 500, 'internal', 'An unexpected error occurred. Quote the requestId when reporting it.'],
  ])('a guard throwing %s answers %d %s without echoing the framework message', async (which, status, slug, detail) => {
    const res = await fetch(`${base}/guarded`, { headers: { 'x-throw': which } });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      type: `urn:frontdoor:problem:${slug}`,
      title: expect.any(String),
      status,
      detail,
      instance: '/guarded',
      requestId: res.headers.get('x-request-id'),
    });
    expect(JSON.stringify(body)).not.toMatch(/passport|Throttler|secret|main\.js/);
  });

  it('logs the cause of a 5xx the gateway decided itself, once, without a stack; a 5xx without a cause only in the access line', async () => {
    const linesOf = (res: Response) => logs.lines().filter((line) => line['reqId'] === res.headers.get('x-request-id') && line['msg'] !== 'request');
    const withCause = await fetch(`${base}/guarded`, { headers: { 'x-throw': '503' } });
    expect(withCause.status).toBe(503);
    expect(await withCause.json()).toMatchObject({ detail: 'The API key store is unavailable; retry later.' });
    const bare = await fetch(`${base}/guarded`, { headers: { 'x-throw': '503-bare' } });
    expect(bare.status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(linesOf(withCause)).toEqual([
      expect.objectContaining({
        level: 'warn',
        status: 503,
        msg: 'The API key store is unavailable; retry later.',
        cause: 'Error: Stream is not writeable and enableOfflineQueue options is false',
      }),
    ]);
    expect(JSON.stringify(linesOf(withCause))).not.toMatch(/stack|"err"/);
    expect(linesOf(bare)).toEqual([]);
  });

  it('counts the same 5xx warning repeated within 10 s instead of writing it for every request', async () => {
    const again = await Promise.all([1, 2, 3, 4].map(() => fetch(`${base}/guarded`, { headers: { 'x-throw': '503' } })));
    expect(again.map((res) => res.status)).toEqual([503, 503, 503, 503]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const ids = new Set(again.map((res) => res.headers.get('x-request-id')));
    // one warning at most (none when the test above opened this kind's window already), and every access line
    expect(logs.lines().filter((line) => ids.has(line['reqId'] as string) && line['level'] === 'warn').length).toBeLessThanOrEqual(1);
    expect(logs.lines().filter((line) => ids.has(line['reqId'] as string) && line['msg'] === 'request')).toHaveLength(4);
  });

  it.each([
    ['POST', '/guarded', 'GET, HEAD, OPTIONS'],
    ['DELETE', '/guarded?x=1', 'GET, HEAD, OPTIONS'],
    ['DELETE', '/items/7', 'GET, HEAD, PUT, OPTIONS'],
    ['POST', '/items/7?force=true', 'GET, HEAD, PUT, OPTIONS'],
  ])('%s %s, a path served for other methods, answers 405 with Allow: %s', async (method, path, allow) => {
    const res = await fetch(`${base}${path}`, { method });
    expect([res.status, res.headers.get('allow'), res.headers.get('content-type')]).toEqual([405, allow, 'application/problem+json; charset=utf-8']);
    expect(await res.json()).toMatchObject({
      type: 'urn:frontdoor:problem:method-not-allowed',
      status: 405,
      detail: `This resource does not accept ${method}; it accepts ${allow}.`,
    });
  });

  it.each([
    ['/guarded', 'GET, HEAD, OPTIONS'],
    ['/items/7', 'GET, HEAD, PUT, OPTIONS'],
  ])('OPTIONS %s, a served path, answers 204 with Allow: %s (RFC 9110 §9.3.7), not a 405', async (path, allow) => {
    const res = await fetch(`${base}${path}`, { method: 'OPTIONS' });
    expect([res.status, res.headers.get('allow'), await res.text()]).toEqual([204, allow, '']);
  });

  it.each([
    ['from an origin', { origin: 'https://evil.example', 'access-control-request-method': 'GET' }],
    ['without an origin', { 'access-control-request-method': 'DELETE' }],
  ])(
    'a CORS preflight no CORS hook answered (%s) is a 403 saying so, no 2xx (the browser must see it refused) and no 405 whose Allow leaves out OPTIONS',
    async (_label, headers) => {
      const res = await fetch(`${base}/guarded`, { method: 'OPTIONS', headers });
      expect([res.status, res.headers.get('allow')]).toEqual([403, null]);
      expect(await res.json()).toMatchObject({ type: 'urn:frontdoor:problem:forbidden', detail: 'This cross-origin request is not allowed here.' });
    },
  );

  it('a CORS preflight to a path served for no method stays 404', async () => {
    const res = await fetch(`${base}/nope`, { method: 'OPTIONS', headers: { 'access-control-request-method': 'GET' } });
    expect(res.status).toBe(404);
  });

  it('OPTIONS on a path served for no method stays 404', async () => {
    const res = await fetch(`${base}/nope`, { method: 'OPTIONS' });
    expect([res.status, res.headers.get('allow')]).toEqual([404, null]);
  });

  it.each([
    ['GET', '/nope'],
    ['POST', '/items'],
    ['PUT', '/items/7/more'],
    // an empty last segment: Fastify's findRoute matches it to /items/:id with an empty id, the router does not
    ['GET', '/items/'],
    ['HEAD', '/items/'],
    ['DELETE', '/items/'],
  ])('%s %s, a path served for no method, stays 404 without Allow', async (method, path) => {
    const res = await fetch(`${base}${path}`, { method });
    expect([res.status, res.headers.get('allow')]).toEqual([404, null]);
    if (method === 'HEAD') return; // no body
    expect(await res.json()).toMatchObject({ type: 'urn:frontdoor:problem:not-found', detail: 'No route matches this method and path.' });
  });

  it('keeps the headers a problem declares', async () => {
    const res = await fetch(`${base}/guarded`, { headers: { 'x-throw': 'problem' } });
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it.each([
    ['application/xml', 'xml'],
    ['APPLICATION/XML', 'xml'],
    ['application/problem+xml', 'xml'],
    ['application/json;q=0, */*', 'xml'],
    ['application/json, application/problem+xml', 'json'],
    ['*/*', 'json'],
    ['text/html', 'json'],
    ['application/xml;q=0.4, application/json;q=0.5', 'json'],
  ])('answers a problem to Accept: %s in %s, as an answer would be negotiated', async (accept, format) => {
    const res = await fetch(`${base}/nope`, { headers: { accept } });
    expect(res.headers.get('content-type')).toBe(`application/problem+${format}; charset=utf-8`);
  });

  it('answers XML problems to a client that prefers XML', async () => {
    const res = await fetch(`${base}/nope`, { headers: { accept: 'application/xml, application/json;q=0.5' } });
    expect(res.headers.get('content-type')).toBe('application/problem+xml; charset=utf-8');
    expect(await res.text()).toMatch(/^<\?xml[^>]*\?>\s*<problem xmlns="urn:ietf:rfc:7807">[\s\S]*<status>404<\/status>/);
  });
});

describe('repeated warnings at shutdown', () => {
  it('closing the app writes the count of a warning still being repeated (it was lost before)', async () => {
    const logs = captureLogs();
    const { url, close } = await listenApp(TestModule, { app: 'test', logDestination: logs.stream, server: { logLevel: 'info' } });
    try {
      const answers = await Promise.all([1, 2, 3].map(() => fetch(`${url}/guarded`, { headers: { 'x-throw': '503' } })));
      expect(answers.map((res) => res.status)).toEqual([503, 503, 503]);
    } finally {
      await close();
    }
    const warnings = logs.lines().filter((line) => line['level'] === 'warn');
    expect(warnings.map((line) => [line['msg'], line['repeated']])).toEqual([
      ['The API key store is unavailable; retry later.', undefined],
      [expect.stringMatching(/^The API key store is unavailable; retry later\. \(2 more like this in [\d.]+ s\)$/), 2],
    ]);
  });
});

describe('IP_ALLOW / IP_DENY at the door', () => {
  it.each([
    ['outside IP_ALLOW', [{ address: '10.0.0.0', prefix: 8, family: 'ipv4' as const }], [], 403],
    ['inside IP_DENY', [], [{ address: '127.0.0.0', prefix: 8, family: 'ipv4' as const }], 403],
    ['inside IP_ALLOW', [{ address: '127.0.0.1', prefix: 32, family: 'ipv4' as const }], [], 200],
  ])('a client %s gets %d', async (_label, ipAllow, ipDeny, status) => {
    const { url, close } = await listenApp(TestModule, { app: 'test', server: { ipAllow, ipDeny } });
    try {
      const res = await fetch(`${url}/health/live`);
      expect(res.status).toBe(status);
      if (status === 403) expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    } finally {
      await close();
    }
  });
});
