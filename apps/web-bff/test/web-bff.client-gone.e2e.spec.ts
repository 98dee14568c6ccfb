import { request } from 'node:http';
import { captureLogs, startStub, type LogCapture, type Stub } from '@frontdoor/testing';
import { startWebIdpTestApp, type WebIdpTestApp } from './web-test-app';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 5 ms, failing after `timeoutMs` (a bound for a broken build, not a latency assertion). */
async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  for (const start = Date.now(); !condition(); await sleep(5)) {
    if (Date.now() - start > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
  }
}

/** An upstream that never answers and notes, per path, when a request arrived and when it was closed unanswered. */
interface HoldingUpstream {
  readonly stub: Stub;
  readonly arrived: Map<string, number>;
  readonly closedUnanswered: Map<string, number>;
}

async function holding(): Promise<HoldingUpstream> {
  const arrived = new Map<string, number>();
  const closedUnanswered = new Map<string, number>();
  const stub = await startStub((req, res) => {
    const path = req.url ?? '';
    arrived.set(path, performance.now());
    res.once('close', () => {
      if (!res.writableFinished) closedUnanswered.set(path, performance.now());
    });
  });
  return { stub, arrived, closedUnanswered };
}

/**
 * A client that goes away mid-call, end to end: the built web-bff on 127.0.0.1, real signed user tokens (test IdP),
 * stub upstreams that hold every request. The upstream requests of a GET are cancelled at once (their connections
 * closed), not left running to the route deadline (3 s here), and the request is logged as 499.
 */
describe('web-bff cancels the upstream calls of a client that went away', () => {
  let t: WebIdpTestApp;
  let sales: HoldingUpstream;
  let hr: HoldingUpstream;
  let payroll: HoldingUpstream;
  let port: number;
  let logs: LogCapture;
  let finance: string;

  beforeAll(async () => {
    [sales, hr, payroll] = await Promise.all([holding(), holding(), holding()]);
    logs = captureLogs();
    const env = {
      UPSTREAM_SALES_URL: sales.stub.url,
      UPSTREAM_HR_URL: hr.stub.url,
      UPSTREAM_PAYROLL_URL: payroll.stub.url,
      ROUTE_DEADLINE_MS: '3000',
      LOG_LEVEL: 'info',
    };
    t = await startWebIdpTestApp({ env, logs: logs.stream });
    port = Number(new URL(t.base).port);
    finance = await t.bearer('fiona', ['finance']);
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([sales?.stub.close(), hr?.stub.close(), payroll?.stub.close()]);
  });

  /** Sends a GET and destroys its socket once every upstream path named has the call; returns when it did. */
  async function abandon(
    path: string,
    requestId: string,
    waitsAt: readonly [HoldingUpstream, string][],
  ): Promise<number> {
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      headers: { authorization: finance, 'x-request-id': requestId },
      agent: false,
    });
    req.on('error', () => undefined);
    req.end();
    await waitFor(
      () => waitsAt.every(([upstream, upstreamPath]) => upstream.arrived.has(upstreamPath)),
      2000,
      `the upstream calls of ${path}`,
    );
    req.destroy();
    return performance.now();
  }

  async function accessLineOf(requestId: string): Promise<Record<string, unknown> | undefined> {
    const lines = () =>
      logs.lines().filter((line) => line['reqId'] === requestId && line['msg'] === 'request');
    await waitFor(() => lines().length > 0, 2000, 'the access line');
    return lines()[0];
  }

  it('a pass-through GET row: its upstream request is closed at once, and the request is logged as 499', async () => {
    const goneAt = await abandon('/api/sales/orders/O-GONE', 'gone-pass-through', [
      [sales, '/orders/O-GONE'],
    ]);
    await waitFor(
      () => sales.closedUnanswered.has('/orders/O-GONE'),
      1000,
      'sales seeing its request closed',
    );
    expect((sales.closedUnanswered.get('/orders/O-GONE') as number) - goneAt).toBeLessThan(300);
    expect(await accessLineOf('gone-pass-through')).toMatchObject({
      route: '/api/sales/orders/:id',
      status: 499,
      upstreams: [{ upstream: 'sales', outcome: 'aborted' }],
    });
  });

  it('the employee profile (fork-join of hr and payroll): both parts are closed at once', async () => {
    const goneAt = await abandon('/api/employees/E0042', 'gone-profile', [
      [hr, '/employees/E0042'],
      [payroll, '/salaries/E0042'],
    ]);
    await waitFor(
      () => hr.closedUnanswered.has('/employees/E0042') && payroll.closedUnanswered.has('/salaries/E0042'),
      1000,
      'hr and payroll seeing their requests closed',
    );
    expect((hr.closedUnanswered.get('/employees/E0042') as number) - goneAt).toBeLessThan(300);
    expect((payroll.closedUnanswered.get('/salaries/E0042') as number) - goneAt).toBeLessThan(300);
    const line = await accessLineOf('gone-profile');
    expect(line).toMatchObject({ route: '/api/employees/:id', status: 499 });
    expect(line?.['upstreams']).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ upstream: 'hr', outcome: 'aborted' }),
        expect.objectContaining({ upstream: 'payroll', outcome: 'aborted' }),
      ]),
    );
  });
});
