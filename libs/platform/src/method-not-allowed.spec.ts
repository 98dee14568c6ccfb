import { Controller, Get, Put } from '@nestjs/common';
import { HttpMetrics } from '@frontdoor/observability';
import { captureLogs, type LogCapture } from '@frontdoor/testing';
import { RoutePatterns } from './method-not-allowed';
import { listenApp, observedModule } from './testing/listen-app';

@Controller('items')
class ItemsController {
  @Get('latest')
  latest(): { id: string } {
    return { id: 'latest' };
  }

  @Get(':id')
  one(): { id: string } {
    return { id: 'x' };
  }

  @Put(':id')
  replace(): { id: string } {
    return { id: 'x' };
  }
}

@Controller('shops')
class ShopsController {
  @Get(':shop/items/:sku')
  item(): { sku: string } {
    return { sku: 'x' };
  }
}

describe('405 and OPTIONS answers in the access log and the metrics', () => {
  let base: string;
  let close: () => Promise<void>;
  let logs: LogCapture;
  let metrics: HttpMetrics;

  beforeAll(async () => {
    logs = captureLogs();
    const listened = await listenApp(observedModule([ItemsController, ShopsController]), {
      logDestination: logs.stream,
      server: { logLevel: 'info' },
    });
    ({ url: base, close } = listened);
    metrics = listened.app.nest.get(HttpMetrics);
  });
  afterAll(() => close());

  /** The access line of the answer `res`. */
  async function accessLineOf(res: Response): Promise<Record<string, unknown> | undefined> {
    await res.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 50));
    return logs
      .lines()
      .find((line) => line['msg'] === 'request' && line['reqId'] === res.headers.get('x-request-id'));
  }

  /** The value of `http_requests_total` for these labels, 0 when absent. */
  async function requestsTotal(route: string, method: string, status: number): Promise<number> {
    // the registry itself, always fresh (a scrape of /metrics may be answered from a recent rendering)
    const text = await metrics.text();
    const line = text
      .split('\n')
      .find((l) =>
        l.startsWith(`http_requests_total{route="${route}",method="${method}",status="${status}"`),
      );
    return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
  }

  it.each([
    ['DELETE', '/items/7', 'GET, HEAD, PUT, OPTIONS', '/items/:id'],
    ['POST', '/items/7?force=true', 'GET, HEAD, PUT, OPTIONS', '/items/:id'],
    ['PATCH', '/items/a%20b', 'GET, HEAD, PUT, OPTIONS', '/items/:id'],
    // the router serves GET here from the static route, PUT from the parametric one: labelled by the first, GET
    ['DELETE', '/items/latest', 'GET, HEAD, PUT, OPTIONS', '/items/latest'],
    ['POST', '/shops/s1/items/42', 'GET, HEAD, OPTIONS', '/shops/:shop/items/:sku'],
  ])(
    '%s %s, a 405 (Allow: %s), is logged and counted under its route pattern %s, not `unmatched`',
    async (method, path, allow, route) => {
      const before = await requestsTotal(route, method, 405);
      const res = await fetch(`${base}${path}`, { method });
      expect([res.status, res.headers.get('allow')]).toEqual([405, allow]);
      expect(await accessLineOf(res)).toMatchObject({ method, route, status: 405 });
      expect(await requestsTotal(route, method, 405)).toBe(before + 1);
    },
  );

  it('OPTIONS on a served path, a 204 with Allow, is counted under its route pattern too', async () => {
    const res = await fetch(`${base}/items/9`, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(await accessLineOf(res)).toMatchObject({ method: 'OPTIONS', route: '/items/:id', status: 204 });
  });

  it.each([
    ['DELETE', '/items/%zz', 400, 'bad-request'],
    ['OPTIONS', '/items/%zz', 400, 'bad-request'],
    ['PATCH', '/items/%C3', 400, 'bad-request'],
    ['OPTIONS', '/%zz', 400, 'bad-request'],
    ['DELETE', `/items/${'x'.repeat(101)}`, 414, 'uri-too-long'],
    ['OPTIONS', `/items/${'x'.repeat(101)}`, 414, 'uri-too-long'],
  ])(
    '%s %s: what the router refuses for the methods served there (%d), for this method too — not a 405 or a 204',
    async (method, path, status, slug) => {
      const get = await fetch(`${base}${path}`);
      expect(get.status).toBe(status); // the router's own refusal of a served method
      const res = await fetch(`${base}${path}`, { method });
      expect(res.status).toBe(status);
      expect(res.headers.get('allow')).toBeNull();
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ type: `urn:frontdoor:problem:${slug}`, status, instance: '/' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const lines = logs.lines().filter((line) => line['msg'] === 'request' && line['reqId'] === body['requestId']);
      expect(lines).toEqual([expect.objectContaining({ method, route: 'unmatched', status })]);
    },
  );

  it('a 404 stays `unmatched`', async () => {
    const res = await fetch(`${base}/items/7/more`, { method: 'DELETE' });
    expect(res.status).toBe(404);
    expect(await accessLineOf(res)).toMatchObject({ route: 'unmatched', status: 404 });
  });

  it.each([
    ['without content', {}, '/items/7', 405],
    ['with content', { headers: { 'content-type': 'application/json' }, body: '{"q":1}' }, '/items/7', 405],
    ['without content on a path nothing serves', {}, '/items/7/more', 404],
  ])('QUERY %s, which no route serves, is answered as any method the router did not match (%j %s → %d)', async (_label, init, path, status) => {
    const res = await fetch(`${base}${path}`, { method: 'QUERY', ...init });
    expect(res.status).toBe(status);
    expect(res.headers.get('allow')).toBe(status === 405 ? 'GET, HEAD, PUT, OPTIONS' : null);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body['type']).toBe(status === 405 ? 'urn:frontdoor:problem:method-not-allowed' : 'urn:frontdoor:problem:not-found');
  });

  it('keeps the label set bounded: many paths of one route are one series', async () => {
    const paths = [...Array.from({ length: 20 }, (_, i) => `/items/n${i}`), '/items/latest'];
    await Promise.all(
      paths.map(async (path) => (await fetch(`${base}${path}`, { method: 'DELETE' })).arrayBuffer()),
    );
    const text = await metrics.text();
    const series = text
      .split('\n')
      .filter(
        (l) =>
          l.startsWith('http_requests_total{') && l.includes('method="DELETE"') && l.includes('status="405"'),
      );
    expect(series.map((l) => /route="([^"]*)"/.exec(l)?.[1]).sort()).toEqual(['/items/:id', '/items/latest']);
  });
});

describe('RoutePatterns', () => {
  const patterns = new RoutePatterns();
  for (const url of [
    '/items/:id',
    '/items/latest',
    '/:id/latest',
    '/at/:lat-:lng',
    '/n/:id(^\\d+$)/x',
    '/files/*',
    '/a::b/:x',
    '/:id/t',
    '/t/:id',
  ]) {
    patterns.add('GET', url);
  }

  it.each([
    ['/items/7', { id: '7' }, '/items/:id'],
    ['/items/latest', {}, '/items/latest'],
    ['/items/a%20b', { id: 'a b' }, '/items/:id'],
    // the static route spells it too, but the router's match has a parameter
    ['/items/latest', { id: 'items' }, '/:id/latest'],
    // both spell /t/t with id=t: the router's choice, static text first
    ['/t/t', { id: 't' }, '/t/:id'],
    ['/at/1.5-2', { lat: '1.5', lng: '2' }, '/at/:lat-:lng'],
    ['/n/42/x', { id: '42' }, '/n/:id(^\\d+$)/x'],
    ['/files/a/b.txt', { '*': 'a/b.txt' }, '/files/*'],
    ['/a:b/1', { x: '1' }, '/a::b/:x'],
    ['/items/7', { sku: '7' }, undefined],
    ['/items/%E0%A4%A', { id: 'x' }, undefined],
  ])('%s with params %j was matched by %s', (path, params, pattern) => {
    expect(patterns.patternOf('GET', path, params)).toBe(pattern);
  });

  it('knows only the methods it was told of', () => {
    expect(patterns.patternOf('PUT', '/items/7', { id: '7' })).toBeUndefined();
  });
});
