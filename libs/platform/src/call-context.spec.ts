import type { Principal } from '@frontdoor/rbac';
import type { FastifyRequest } from 'fastify';
import { callContextOf } from './call-context';

const alice: Principal = { kind: 'user', id: 'alice', roles: ['finance'] };
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

function request(headers: Record<string, string>, principal?: Principal): FastifyRequest {
  return { id: 'req-1', headers, principal } as unknown as FastifyRequest;
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
    expect(ctx.headers).toEqual({ 'x-request-id': 'req-1', traceparent: TRACEPARENT });
    expect(ctx.identity).toBe(alice);
  });

  it.each([
    ['a malformed traceparent is dropped', { traceparent: 'evil\r\nx: 1' }, { 'x-request-id': 'req-1' }],
    ['no traceparent', {}, { 'x-request-id': 'req-1' }],
  ])('%s', (_label, headers, expected) => {
    expect(callContextOf(request(headers)).headers).toEqual(expected);
  });

  it('an anonymous request carries no identity (its calls get no gateway token)', () => {
    expect(callContextOf(request({})).identity).toBeUndefined();
  });
});
