import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { ProblemError } from '@frontdoor/errors';
import { Public, type Principal } from '@frontdoor/rbac';
import type { FastifyRequest } from 'fastify';
import { bearerMissing } from './auth.errors';
import { PassportAuthenticationGuard } from './authentication.guard';
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

function requestWith(headers: Record<string, string>): Probe {
  return { headers, raw: { headers } } as unknown as Probe;
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
  const guard = () => new PassportAuthenticationGuard(new Reflector(), strategy.name, bearerMissing, remembered);

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
});
