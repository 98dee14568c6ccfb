import { UPSTREAM_NAMES } from '@frontdoor/config';
import { USER_ROLES } from '@frontdoor/rbac';
import { checkRouteTable, routeName } from '@frontdoor/routing';
import { WEB_PASS_THROUGH_ROUTES } from './web.routes';

describe('web-bff pass-through table', () => {
  it('passes the start-time checks (no duplicates, declared params, roles on every row, GET-only caching)', () => {
    expect(() => checkRouteTable(WEB_PASS_THROUGH_ROUTES, { upstreams: UPSTREAM_NAMES, roles: USER_ROLES })).not.toThrow();
  });

  it.each([
    ['/api/inventory/', 'inventory'],
    ['/api/sales/', 'sales'],
    ['/api/hr/', 'hr'],
    ['/api/payroll/', 'payroll'],
  ])('every %s row goes to %s', (prefix, upstream) => {
    const rows = WEB_PASS_THROUGH_ROUTES.filter((r) => r.path.startsWith(prefix));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect([routeName(row), row.upstream]).toEqual([routeName(row), upstream]);
  });

  it.each([
    ['inventory', ['costPrice', 'internalNotes']],
    ['hr', ['nationalId', 'homeNotes']],
    ['payroll', ['bankAccount', 'iban']],
  ])('every %s row redacts %j', (upstream, fields) => {
    for (const row of WEB_PASS_THROUGH_ROUTES.filter((r) => r.upstream === upstream)) {
      expect([routeName(row), row.redact]).toEqual([routeName(row), expect.arrayContaining(fields)]);
    }
  });

  it('caches no personal data: only rows the same for every allowed caller are cached, and they say so', () => {
    for (const row of WEB_PASS_THROUGH_ROUTES.filter((r) => r.cacheTtlS !== undefined)) {
      expect([routeName(row), row.cacheShared]).toEqual([routeName(row), true]);
      expect(['hr', 'payroll']).not.toContain(row.upstream);
    }
  });

  it('every POST row honours an Idempotency-Key without requiring one (existing web clients send none)', () => {
    const posts = WEB_PASS_THROUGH_ROUTES.filter((r) => r.method === 'POST');
    expect(posts.length).toBeGreaterThan(0);
    for (const row of posts) expect([routeName(row), row.idempotencyKey]).toEqual([routeName(row), 'optional']);
  });

  it('never lets anyone but admin and finance reach payroll', () => {
    for (const row of WEB_PASS_THROUGH_ROUTES.filter((r) => r.upstream === 'payroll')) expect([...row.roles].sort()).toEqual(['admin', 'finance']);
  });
});
