import { DEMO_IDS } from '@frontdoor/demo-estate';
import { rawRequest } from '@frontdoor/testing';
import { startWebTestApp, type WebTestApp } from './web-test-app';

/**
 * Traffic control of web-bff end to end: the guard order (authentication before the rate limit), per-subject
 * limits with IETF headers, and the backend budget that keeps a fragile payroll service up while clients hammer.
 */
describe('web-bff traffic control e2e', () => {
  let t: WebTestApp;

  beforeAll(async () => {
    const env = {
      RATE_LIMIT_USER_RPS: '5',
      RATE_LIMIT_ANON_RPS: '3',
      UPSTREAM_PAYROLL_MAX_CONCURRENT: '2',
      ROUTE_DEADLINE_MS: '2000',
    };
    t = await startWebTestApp({ env });
  });
  afterAll(async () => t?.close());

  const burst = (n: number, path: string, headers: Record<string, string> = {}) =>
    Promise.all(Array.from({ length: n }, () => rawRequest(t.base, path, { headers })));
  const count = (answers: { status: number }[], status: number) =>
    answers.filter((a) => a.status === status).length;

  it('an anonymous flood of a protected route gets 401, never 429 (authentication runs before the rate limit)', async () => {
    const answers = await burst(20, `/api/employees/${DEMO_IDS.employee}`);
    expect(count(answers, 401)).toBe(20);
  });

  it('a user gets exactly RATE_LIMIT_USER_RPS per second, with RateLimit headers and a problem 429', async () => {
    const authorization = `Bearer ${await t.estate.issueToken({ sub: 'flooder', roles: ['hr'] })}`;
    const answers = await burst(12, `/api/employees/${DEMO_IDS.employee}`, { authorization });
    expect(count(answers, 200)).toBe(5);
    expect(count(answers, 429)).toBe(7);
    const refused = answers.find((a) => a.status === 429);
    expect(refused?.headers['retry-after']).toMatch(/^\d+$/);
    expect(refused?.headers['ratelimit-limit']).toBe('5');
    expect(refused?.headers['ratelimit-remaining']).toBe('0');
    // another subject has its own bucket
    const other = `Bearer ${await t.estate.issueToken({ sub: 'someone-else', roles: ['hr'] })}`;
    expect(
      (await rawRequest(t.base, `/api/employees/${DEMO_IDS.employee}`, { headers: { authorization: other } }))
        .status,
    ).toBe(200);
  });

  it('health, readiness and metrics are never limited', async () => {
    const answers = [...(await burst(15, '/health/live')), ...(await burst(15, '/metrics'))];
    expect(count(answers, 200)).toBe(30);
  });

  it('backend budget: payroll with budget 2 sees at most 2 calls in flight; the rest answer 503 + Retry-After fast', async () => {
    t.estate.setFault('payroll', { latencyMs: 400 });
    try {
      t.estate.clearRecorded();
      // 20 different finance users, so the per-user rate limit is not what refuses them
      const tokens = await Promise.all(
        Array.from({ length: 20 }, (_, i) => t.estate.issueToken({ sub: `fin-${i}`, roles: ['finance'] })),
      );
      const started = Date.now();
      const answers = await Promise.all(
        tokens.map((token) =>
          rawRequest(t.base, `/api/payroll/salaries/${DEMO_IDS.employee}`, {
            headers: { authorization: `Bearer ${token}` },
          }).then((a) => ({ ...a, ms: Date.now() - started })),
        ),
      );
      expect(count(answers, 200)).toBe(2);
      expect(count(answers, 503)).toBe(18);
      const refused = answers.filter((a) => a.status === 503);
      for (const a of refused) {
        expect(a.headers['retry-after']).toMatch(/^\d+$/);
        expect(JSON.parse(a.body)).toMatchObject({ type: 'urn:frontdoor:problem:upstream-unavailable' });
      }
      // refused without waiting for the slow upstream: every 503 came back before any 200
      const slowestRefusal = Math.max(...refused.map((a) => a.ms));
      const fastestSuccess = Math.min(...answers.filter((a) => a.status === 200).map((a) => a.ms));
      expect(slowestRefusal).toBeLessThan(fastestSuccess);
      expect(t.estate.recorded('payroll').filter((r) => r.path.startsWith('/salaries/'))).toHaveLength(2);
    } finally {
      t.estate.setFault('payroll', {});
    }
  });
});
