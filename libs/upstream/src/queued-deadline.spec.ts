import type { ServerResponse } from 'node:http';
import { settle, startStub, type Stub } from '@frontdoor/testing';
import { UpstreamClient } from './upstream.client';

/** The route deadline of the queued call, and how late its 504 may come. */
const DEADLINE_MS = 300;
const MARGIN_MS = 150;
/** The held calls outlive the queued call's deadline by far: only the release ends them. */
const HELD_DEADLINE_MS = 5000;
/** When the held calls are answered at the latest (as soon as the queued call failed, else): bounds a failing run. */
const RELEASE_AFTER_MS = DEADLINE_MS + 500;
const CONNECTIONS = 2;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(condition: () => boolean, withinMs = 2000): Promise<void> {
  const giveUpAt = performance.now() + withinMs;
  while (!condition()) {
    if (performance.now() > giveUpAt) throw new Error(`condition not met within ${withinMs} ms`);
    await sleep(5);
  }
}

describe('UpstreamClient: a call queued for a connection (every connection of the pool busy)', () => {
  let up: Stub;
  let upstream: UpstreamClient;
  const held: ServerResponse[] = [];
  let releaseTimer: NodeJS.Timeout | undefined;

  function release(): void {
    for (const res of held.splice(0)) {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"held":true}');
    }
  }

  beforeEach(async () => {
    up = await startStub((req, res) => {
      if (req.url === '/held') held.push(res);
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    upstream = new UpstreamClient({
      name: 'payroll',
      urls: [new URL(up.url)],
      connections: CONNECTIONS,
      defaultDeadlineMs: DEADLINE_MS,
      probeIntervalMs: 0,
    });
  });
  afterEach(async () => {
    clearTimeout(releaseTimer);
    held.splice(0);
    await up.close(); // drops any held answer first, so that closing the client waits for nothing
    await upstream.close();
  });

  it('fails with a 504 at its deadline, is never sent, and leaves the pool and its connections working', async () => {
    const holding = Array.from({ length: CONNECTIONS }, () =>
      upstream.request({ method: 'GET', path: '/held', deadlineMs: HELD_DEADLINE_MS }),
    );
    await until(() => held.length === CONNECTIONS);

    const queued = upstream.request({ method: 'GET', path: '/queued' });
    releaseTimer = setTimeout(release, RELEASE_AFTER_MS);
    const outcome = await settle(queued);
    release();

    expect(outcome).toMatchObject({
      ok: false,
      error: { status: 504, failure: 'timeout', detail: `payroll did not answer within ${DEADLINE_MS} ms` },
    });
    expect(outcome.ms).toBeGreaterThanOrEqual(DEADLINE_MS - 5);
    expect(outcome.ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);

    // the held calls complete normally once answered
    const answers = await Promise.all(holding);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body.toString()).toBe('{"held":true}');
    }
    // a request whose deadline passed while it was queued is not sent once a connection frees up
    await sleep(100);
    expect(up.requests.map((r) => r.path)).toEqual(['/held', '/held']);

    // the pool serves a later call, on the kept-alive connections
    const later = await upstream.request({ method: 'GET', path: '/later' });
    expect(later.status).toBe(200);
    expect(later.body.toString()).toBe('{"ok":true}');
    expect(up.requests.map((r) => r.path)).toEqual(['/held', '/held', '/later']);
    expect(up.connections()).toBe(CONNECTIONS);
    expect(upstream.status()).toMatchObject({ breaker: 'closed', inFlight: 0 });
  });
});
