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

  it("a traced call with an identity carries both the span's traceparent and the identity token; the caller's headers stay as they were", async () => {
    const signer = new FakeSigner();
    const registry = new UpstreamRegistry([{ name: 'payroll', urls: [new URL(stub.url)] }], signer);
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01';
    const trace = { begin: () => ({ traceparent, tracestate: 'congo=t61rcWkgMzE', end: () => undefined }) };
    const headers = Object.freeze({ 'x-request-id': 'r2', authorization: 'Bearer client' });
    try {
      stub.requests.length = 0;
      await registry.get('payroll').request({ method: 'GET', path: '/x', headers, identity: alice, trace });
      expect(stub.requests[0]?.headers).toMatchObject({
        'x-request-id': 'r2',
        traceparent,
        tracestate: 'congo=t61rcWkgMzE',
        authorization: 'Bearer signed-for-alice-to-payroll',
      });
      expect(headers).toEqual({ 'x-request-id': 'r2', authorization: 'Bearer client' });
    } finally {
      await registry.close();
    }
  });
});

describe('the trace context of upstream calls', () => {
  let stub: Stub;
  beforeAll(async () => (stub = await startStub(faults.json(200, {}))));
  afterAll(() => stub.close());

  const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01';
  it.each([
    ['a tracestate', 'congo=t61rcWkgMzE', 'congo=t61rcWkgMzE'],
    ['no tracestate', undefined, undefined],
  ])('a call of a request with %s carries its span traceparent and that tracestate (W3C Trace Context §3.3)', async (_label, tracestate, expected) => {
    const registry = new UpstreamRegistry([{ name: 'hr', urls: [new URL(stub.url)] }]);
    const trace = { begin: () => ({ traceparent: TRACEPARENT, tracestate, end: () => undefined }) };
    try {
      stub.requests.length = 0;
      // a tracestate the caller put among its headers is not what goes: the span's is
      await registry.get('hr').request({ method: 'GET', path: '/x', headers: { tracestate: 'forged=1' }, trace });
      const headers = stub.requests[0]?.headers ?? {};
      expect(headers.traceparent).toBe(TRACEPARENT);
      expect(headers.tracestate).toBe(expected ?? 'forged=1');
    } finally {
      await registry.close();
    }
  });
});
