import { problemForUpstreamStatus } from './status-mapping';
import { safeUpstreamDetail } from './upstream-detail';

const problem = (detail: unknown, contentType = 'application/problem+json; charset=utf-8') => ({
  status: 422,
  headers: { 'content-type': contentType },
  body: Buffer.from(JSON.stringify({ type: 'about:blank', title: 'x', status: 422, detail, instance: '/orders' })),
});

describe('safeUpstreamDetail', () => {
  it.each([
    ['a business rule', 'items[0].sku SKU-99999 is not a known product', true],
    ['a range rule', 'items[1].quantity must be from 1 to 10000', true],
    ['plain json too', 'customerId must be a string of 1 to 64 characters', true],
    ['a URL', 'see http://10.0.0.7:8080/docs', false],
    ['an IPv4 address', 'refused by 10.1.2.3', false],
    ['a host:port', 'db-primary:5432 said no', false],
    ['a dotted host name', 'sales.internal.corp rejected it', false],
    ['a path', 'no such file /var/lib/sales/orders.db', false],
    ['localhost', 'localhost refused', false],
    ['markup', '<script>alert(1)</script>', false],
    ['quotes', 'value "x" invalid', false],
    ['a stack trace word', 'NullPointerException in OrderService', false],
    ['a token word', 'token expired for user', false],
    ['too long', 'x'.repeat(161), false],
    ['empty', '   ', false],
    ['a control character', 'bad\u0000value', false],
    ['not a string', { nested: 'object' }, false],
  ])('%s → passed: %s', (_label, detail, passed) => {
    expect(safeUpstreamDetail(problem(detail))).toBe(passed ? (detail as string) : undefined);
  });

  it.each([
    ['text/html', '<p>x</p>'],
    ['application/xml', '<problem><detail>x</detail></problem>'],
  ])('ignores a %s body', (contentType, body) => {
    expect(safeUpstreamDetail({ status: 400, headers: { 'content-type': contentType }, body: Buffer.from(body) })).toBeUndefined();
  });

  it('ignores a body over 4 KiB and a body that is not JSON', () => {
    const big = { status: 400, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ detail: 'ok', pad: 'x'.repeat(5000) })) };
    const broken = { status: 400, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"detail": "ok"') };
    expect([safeUpstreamDetail(big), safeUpstreamDetail(broken)]).toEqual([undefined, undefined]);
  });

  it('problemForUpstreamStatus passes a safe detail on a 422 and keeps it generic otherwise', () => {
    expect(problemForUpstreamStatus('sales', problem('items[0].quantity must be from 1 to 10000'))?.detail).toBe(
      'sales rejected the request: items[0].quantity must be from 1 to 10000',
    );
    expect(problemForUpstreamStatus('sales', problem('see http://sales:8080/x'))?.detail).toBe('sales rejected the request');
    expect(problemForUpstreamStatus('sales', { ...problem('items[0] is bad'), status: 500 })?.detail).toBe('sales answered with an error');
  });
});
