import type { Principal } from '@frontdoor/rbac';
import type { FastifyRequest } from 'fastify';
import { callContextOf } from './call-context';

const alice: Principal = { kind: 'user', id: 'alice', roles: ['finance'] };
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

const trace = { begin: () => ({ traceparent: undefined, end: () => undefined }) };

function request(headers: Record<string, string>, principal?: Principal, method = 'GET'): FastifyRequest {
  return { id: 'req-1', method, headers, principal, trace, raw: { httpVersionMajor: 1 } } as unknown as FastifyRequest;
}

describe('callContextOf', () => {
  it('builds the upstream headers from an allow-list: client credentials and identity headers never get in', () => {
    const ctx = callContextOf(
      request(
        {
          authorization: 'Bearer client-token',
          'x-api-key': 'fd_live_secret',
          cookie: 'session=1',
          'x-user-id': 'root',
          'x-user-roles': 'admin',
          'x-roles': 'admin',
          'x-partner-id': 'globex',
          'x-forwarded-user': 'root',
          traceparent: TRACEPARENT,
        },
        alice,
      ),
    );
    // the client's traceparent is not copied: each call carries a child span of the request's trace instead
    expect(ctx.headers).toEqual({ 'x-request-id': 'req-1' });
    expect(ctx.trace).toBe(trace);
    expect(ctx.identity).toBe(alice);
  });

  it('an anonymous request carries no identity (its calls get no gateway token)', () => {
    expect(callContextOf(request({})).identity).toBeUndefined();
  });

  it.each([
    ['GET', true],
    ['HEAD', true],
    ['POST', false],
    ['PUT', false],
    ['PATCH', false],
    ['DELETE', false],
  ])('a %s request: its calls carry a cancellation signal: %s', (method, cancellable) => {
    const incoming = request({}, alice, method);
    const ctx = callContextOf(incoming);
    expect(ctx.signal === undefined).toBe(!cancellable);
    if (cancellable) {
      expect(ctx.signal?.aborted).toBe(false);
      expect(callContextOf(incoming).signal).toBe(ctx.signal); // one signal per request
    }
  });
});
