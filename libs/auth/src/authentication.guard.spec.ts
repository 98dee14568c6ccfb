import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { ProblemError } from '@frontdoor/errors';
import { Public, type Principal } from '@frontdoor/rbac';
import type { FastifyRequest } from 'fastify';
import { bearerMissing } from './auth.errors';
import { PassportAuthenticationGuard } from './authentication.guard';
import { CredentialBudget } from './credential-budget';
import { registerStrategy, type RegisteredStrategy } from './passport-registration';

class Routes {
  open(): string {
    return 'open';
  }
  closed(): string {
    return 'closed';
  }
}
Public()(Routes.prototype, 'open', Object.getOwnPropertyDescriptor(Routes.prototype, 'open') as PropertyDescriptor);

const alice: Principal = Object.freeze({ kind: 'user', id: 'alice', roles: Object.freeze(['hr']) });
const bob: Principal = Object.freeze({ kind: 'user', id: 'bob', roles: Object.freeze(['sales']) });

type Probe = FastifyRequest & { principal?: Principal };

function contextOf(request: Probe, handler: 'open' | 'closed' = 'closed'): ExecutionContextHost {
  const context = new ExecutionContextHost([request, { header: () => undefined }], Routes, Routes.prototype[handler]);
  context.setType('http');
  return context;
}

function requestWith(headers: Record<string, string>, ip = '192.0.2.1'): Probe {
  return { headers, raw: { headers }, ip } as unknown as Probe;
}

/**
 * The guard's two paths: a credential the verifier remembers is answered synchronously without passport; anything
 * else goes through passport's strategy (here a real `passport-custom` strategy), whose answer or problem decides.
 */
describe('PassportAuthenticationGuard', () => {
  let strategy: RegisteredStrategy;
  let strategyCalls = 0;

  beforeAll(() => {
    strategy = registerStrategy('guard-spec', async (request) => {
      strategyCalls++;
      if (request.headers['x-who'] === 'bob') return bob;
      throw new ProblemError('unauthorized', 'The bearer token is invalid or has expired.');
    });
  });
  afterAll(() => strategy.unregister());
  beforeEach(() => (strategyCalls = 0));

  const remembered = (request: FastifyRequest) => (request.headers['x-who'] === 'alice' ? alice : undefined);
  const guard = (budget?: CredentialBudget) =>
    new PassportAuthenticationGuard(new Reflector(), strategy.name, bearerMissing, remembered, 'authorization', budget);

  it('accepts a remembered credential synchronously, without the strategy', () => {
    const request = requestWith({ 'x-who': 'alice' });
    expect(guard().canActivate(contextOf(request))).toBe(true);
    expect(request.principal).toBe(alice);
    expect(strategyCalls).toBe(0);
  });

  it('asks the strategy for a credential it does not remember, and keeps its principal', async () => {
    const request = requestWith({ 'x-who': 'bob' });
    const verdict = guard().canActivate(contextOf(request));
    expect(verdict).toBeInstanceOf(Promise);
    await expect(verdict).resolves.toBe(true);
    expect(request.principal).toBe(bob);
    expect(strategyCalls).toBe(1);
  });

  it('answers the strategy\'s problem for anything else', async () => {
    const request = requestWith({ 'x-who': 'mallory' });
    await expect(guard().canActivate(contextOf(request))).rejects.toMatchObject({ slug: 'unauthorized', status: 401 });
    expect(request.principal).toBeUndefined();
  });

  it('skips public routes entirely', () => {
    const request = requestWith({});
    expect(guard().canActivate(contextOf(request, 'open'))).toBe(true);
    expect(request.principal).toBeUndefined();
    expect(strategyCalls).toBe(0);
  });

  it('an address past its budget of new credentials gets a 429 before any check; remembered ones, requests without one and other addresses pass', async () => {
    const budget = new CredentialBudget(1, 100, () => 0); // a clock that stands still: a burst of 2, nothing refills
    const checked = guard(budget);
    const attacker = '203.0.113.7';
    const forged = (n: number) => requestWith({ authorization: `Bearer forged-${n}`, 'x-who': 'mallory' }, attacker);
    await expect(checked.canActivate(contextOf(forged(1)))).rejects.toMatchObject({ status: 401 });
    await expect(checked.canActivate(contextOf(forged(2)))).rejects.toMatchObject({ status: 401 });
    expect(strategyCalls).toBe(2);

    const refused = (() => {
      try {
        checked.canActivate(contextOf(forged(3)));
      } catch (error) {
        return error as ProblemError;
      }
      throw new Error('the third new credential was not refused');
    })();
    expect(refused).toMatchObject({ slug: 'rate-limited', status: 429 });
    expect(refused.headers).toMatchObject({ 'Retry-After': '1', 'RateLimit-Limit': '1', 'RateLimit-Remaining': '0', 'RateLimit-Reset': '1' });
    expect(strategyCalls).toBe(2); // refused before the strategy: no signature check, no key-store lookup

    // a credential the verifier remembers never spends the budget, from the same address
    const known = requestWith({ authorization: 'Bearer known', 'x-who': 'alice' }, attacker);
    expect(checked.canActivate(contextOf(known))).toBe(true);
    // no credential at all: the strategy's (cheap) refusal, not the budget's
    await expect(checked.canActivate(contextOf(requestWith({}, attacker)))).rejects.toMatchObject({ status: 401 });
    // another address has its own budget
    const other = requestWith({ authorization: 'Bearer fresh', 'x-who': 'bob' }, '198.51.100.9');
    await expect(checked.canActivate(contextOf(other))).resolves.toBe(true);
  });
});
