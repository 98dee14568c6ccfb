import { faults, startStub, type Stub } from '@frontdoor/testing';
import type { CallIdentity, IdentitySigner } from './identity.port';
import { UpstreamRegistry } from './upstream.registry';

/** A fake signer (the real one is libs/auth's): records what it was asked, answers a predictable value. */
class FakeSigner implements IdentitySigner {
  readonly asked: [string, string][] = [];
  authorizationFor(identity: CallIdentity, audience: string): string {
    this.asked.push([identity.id, audience]);
    return `Bearer signed-for-${identity.id}-to-${audience}`;
  }
}

describe('the identity hook of upstream calls', () => {
  let stub: Stub;
  beforeAll(async () => (stub = await startStub(faults.json(200, {}))));
  afterAll(() => stub.close());

  const alice: CallIdentity = { kind: 'user', id: 'alice', roles: ['finance'] };
  it.each([
    ['an identity and a signer', alice, true, {}, 'Bearer signed-for-alice-to-payroll'],
    ['an identity and a signer, over a stray authorization', alice, true, { authorization: 'Bearer client' }, 'Bearer signed-for-alice-to-payroll'],
    ['an identity, no signer', alice, false, {}, undefined],
    ['a signer, no identity', undefined, true, {}, undefined],
  ])('with %s the upstream gets authorization %j', async (_label, identity, withSigner, extra, expected) => {
    const signer = new FakeSigner();
    const registry = new UpstreamRegistry([{ name: 'payroll', urls: [new URL(stub.url)] }], withSigner ? signer : undefined);
    try {
      stub.requests.length = 0;
      await registry.get('payroll').request({ method: 'GET', path: '/x', headers: { 'x-request-id': 'r1', ...extra }, identity });
      const headers = stub.requests[0]?.headers ?? {};
      expect(headers.authorization).toBe(expected);
      expect(headers['x-request-id']).toBe('r1');
      expect(signer.asked).toEqual(identity && withSigner ? [['alice', 'payroll']] : []);
    } finally {
      await registry.close();
    }
  });
});
