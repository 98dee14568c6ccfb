import { Controller, Get, Param } from '@nestjs/common';
import { asDegraded } from '@frontdoor/aggregation';
import { captureLogs, type LogCapture } from '@frontdoor/testing';
import { listenApp, observedModule, type ListenedApp } from './testing/listen-app';

@Controller('screens')
class ScreensController {
  /** An aggregation that lost an optional part. */
  @Get('partial/:id')
  partial(@Param('id') id: string): object {
    return asDegraded({ id, total: 3 }, { reason: 'partial', missing: ['stockAlerts'] });
  }

  /** A cached copy served because its upstream failed; an array carries the mark only (no body field). */
  @Get('stale/:id')
  stale(): object {
    return asDegraded([1, 2], { reason: 'stale', missing: [] });
  }

  @Get('complete/:id')
  complete(@Param('id') id: string): object {
    return { id, total: 3 };
  }
}

/**
 * Degraded answers in what operators read: the access line says `degraded: partial|stale` (only then), and
 * `degraded_responses_total` counts them per route pattern and reason. Real app on 127.0.0.1, real log lines, the
 * real `/metrics` text.
 */
describe('degraded answers in the access log and the metrics', () => {
  let app: ListenedApp;
  let logs: LogCapture;

  beforeAll(async () => {
    logs = captureLogs();
    app = await listenApp(observedModule([ScreensController]), {
      logDestination: logs.stream,
      server: { logLevel: 'info' },
    });
  });
  afterAll(() => app?.close());

  /** Sends the request and returns its answer's header and its access line (written once the answer is done). */
  async function answer(path: string, headers: Record<string, string> = {}) {
    const res = await fetch(`${app.url}${path}`, { headers });
    await res.arrayBuffer();
    const reqId = res.headers.get('x-request-id');
    let line: Record<string, unknown> | undefined;
    for (let i = 0; i < 50 && line === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      line = logs.lines().find((l) => l['msg'] === 'request' && l['reqId'] === reqId);
    }
    return { status: res.status, degradedHeader: res.headers.get('x-degraded'), line };
  }

  it.each([
    ['a partial aggregation', 'partial', '/screens/partial/1', {}, '/screens/partial/:id'],
    [
      'a partial aggregation answered as XML',
      'partial',
      '/screens/partial/2',
      { accept: 'application/xml' },
      '/screens/partial/:id',
    ],
    ['a stale copy (an array: the mark only)', 'stale', '/screens/stale/1', {}, '/screens/stale/:id'],
  ])('%s: its access line says degraded: %s', async (_label, reason, path, headers, route) => {
    const { status, degradedHeader, line } = await answer(path, headers);
    expect([status, degradedHeader]).toEqual([200, reason]);
    expect(line).toMatchObject({ route, status: 200, degraded: reason });
  });

  it('a complete answer has no degraded field at all in its access line', async () => {
    const { status, degradedHeader, line } = await answer('/screens/complete/1');
    expect([status, degradedHeader]).toEqual([200, null]);
    expect(line).toMatchObject({ route: '/screens/complete/:id', status: 200 });
    expect(line).not.toHaveProperty('degraded');
  });

  it('counts degraded answers per route pattern and reason in /metrics, never by raw path, complete ones not at all', async () => {
    await Promise.all(['a', 'b', 'c'].map((id) => answer(`/screens/stale/${id}`)));
    // the first scrape of this app: a fresh rendering
    const text = await (await fetch(`${app.url}/metrics`)).text();
    const series = text.split('\n').filter((l) => l.startsWith('degraded_responses_total{'));
    expect(series.sort()).toEqual([
      'degraded_responses_total{route="/screens/partial/:id",reason="partial",app="t"} 2',
      'degraded_responses_total{route="/screens/stale/:id",reason="stale",app="t"} 4',
    ]);
    expect(text).toContain('# TYPE degraded_responses_total counter');
  });
});
