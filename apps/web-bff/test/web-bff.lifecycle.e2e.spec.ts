import type { ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { DEMO_IDS, estateEnv, startDemoEstate, type DemoEstate } from '@frontdoor/demo-estate';
import { startWebBffProcess } from './web-test-app';

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

function get(port: number, path: string, headers: Record<string, string> = {}, agent?: Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers, agent: agent ?? false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    })
      .on('error', reject)
      .end();
  });
}

/**
 * Graceful shutdown of the real process (issue 8): SIGTERM under load with slow upstreams → readiness 503 at once,
 * new connections refused, every request accepted before the signal completes, exit code 0.
 */
describe('web-bff graceful shutdown (a real process)', () => {
  let estate: DemoEstate;
  let child: ChildProcess;
  let port: number;
  let output: () => string;

  beforeAll(async () => {
    estate = await startDemoEstate({ faults: { hr: { latencyMs: 1200 } } });
    ({ child, port, output } = await startWebBffProcess(
      {
        ...estateEnv(estate),
        LOG_LEVEL: 'info',
        SHUTDOWN_DRAIN_MS: '8000',
        ROUTE_DEADLINE_MS: '6000', // the slow hr (1.2 s) must not time out on a loaded machine
      },
      (at) => get(at, '/health/live').then((a) => a.status === 200, () => false),
    ));
    estate.trustGateways([`http://127.0.0.1:${port}/.well-known/jwks.json`]);
    // one call through before the test: hr has fetched the gateway's keys, so the drain is what is measured
    const token = await estate.issueToken({ sub: 'drain-warm-up', roles: ['hr'] });
    for (let i = 0; i < 10 && (await get(port, `/api/employees/${DEMO_IDS.employee}`, { authorization: `Bearer ${token}` })).status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 600));
    }
  }, 90_000);

  afterAll(async () => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    await estate?.stop();
  });

  it('finishes every accepted request, turns readiness 503 at once, refuses new connections, exits 0', async () => {
    const token = await estate.issueToken({ sub: 'drain-test', roles: ['hr'] });
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    expect((await get(port, '/health/live', {}, keepAlive)).status).toBe(200); // opens the kept-alive connection

    estate.clearRecorded();
    // on kept-alive connections, as a load balancer's upstream pool sends them: their answers must close them, or
    // the idle sockets would hold the drain open until SHUTDOWN_DRAIN_MS (exit 1)
    const pool = new Agent({ keepAlive: true, maxSockets: 8 });
    const inFlight = Array.from({ length: 8 }, () => get(port, `/api/employees/${DEMO_IDS.employee}`, { authorization: `Bearer ${token}` }, pool));
    // accepted: every one of them has reached the (slow) upstream
    for (let i = 0; i < 100 && estate.recorded('hr').filter((r) => r.path.startsWith('/employees/')).length < 8; i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(estate.recorded('hr').filter((r) => r.path.startsWith('/employees/'))).toHaveLength(8);

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 150));

    // Not ready at once: the idle kept-alive connection is either closed by the server (Node closes idle
    // connections on close) or, if a request was already on it, answered with a problem 503.
    const ready = await get(port, '/health/ready', {}, keepAlive).catch((e: Error & { code?: string }) => e.code ?? e.message);
    if (typeof ready === 'string') expect(ready).toMatch(/ECONNRESET|ECONNREFUSED|socket hang up/);
    else expect(JSON.parse(ready.body)).toMatchObject({ status: 503, type: 'urn:frontdoor:problem:service-unavailable' });
    // and new connections are refused
    await expect(get(port, '/health/live')).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    const answers = await Promise.all(inFlight);
    const answeredAt = Date.now();
    expect(answers.map((a) => `${a.status} ${a.status === 200 ? '' : a.body}`.trim())).toEqual(Array(8).fill('200'));
    expect(answers.map((a) => a.headers['connection'])).toEqual(Array(8).fill('close'));
    expect(await exited).toBe(0);
    // promptly: not held open by the pool's idle sockets (SHUTDOWN_DRAIN_MS is 8 s)
    expect(Date.now() - answeredAt).toBeLessThan(3000);
    pool.destroy();
    expect(output()).toMatch(/web-bff draining/);
    expect(output()).toMatch(/web-bff stopped/);
    keepAlive.destroy();
  }, 30_000);
});
