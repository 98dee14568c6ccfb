import type { PassThroughRoute } from '@frontdoor/routing';

/*
 * web-bff's declarative pass-through routes (PRODUCT.md: /api/inventory/*, /api/sales/*, /api/hr/*, /api/payroll/*).
 * Each row is one upstream route, listed explicitly: nothing else of a backend is reachable. Fields the estate marks
 * internal are redacted on every row of their upstream. Personal data is never cached; catalogue-like answers the
 * same for every allowed caller are cached and shared.
 */

/** Fields inventory, hr and payroll serve that a gateway must never pass (see the demo estate's seed types). */
const INVENTORY_INTERNAL = ['costPrice', 'internalNotes', 'contactEmail'];
const HR_SENSITIVE = ['nationalId', 'homeNotes'];
const PAYROLL_SENSITIVE = ['bankAccount', 'iban'];

export const inventoryRoutes = [
  { method: 'GET', path: '/api/inventory/products', upstream: 'inventory', target: '/products', roles: ['admin', 'warehouse', 'sales'],
    query: ['limit', 'offset', 'q', 'tag'], timeoutMs: 1500, cacheTtlS: 30, cacheShared: true, redact: INVENTORY_INTERNAL, xmlRoot: 'products' },
  { method: 'GET', path: '/api/inventory/products/:sku', upstream: 'inventory', target: '/products/:sku', roles: ['admin', 'warehouse', 'sales'],
    timeoutMs: 800, cacheTtlS: 30, cacheShared: true, redact: INVENTORY_INTERNAL, xmlRoot: 'product' },
  { method: 'GET', path: '/api/inventory/stock/alerts', upstream: 'inventory', target: '/stock/alerts', roles: ['admin', 'warehouse'],
    query: ['threshold'], timeoutMs: 800, cacheTtlS: 10, cacheShared: true, redact: INVENTORY_INTERNAL, xmlRoot: 'alerts' },
] as const satisfies readonly PassThroughRoute[];

export const salesRoutes = [
  { method: 'GET', path: '/api/sales/summary', upstream: 'sales', target: '/summary', roles: ['admin', 'sales', 'finance'],
    cacheTtlS: 15, cacheShared: true, xmlRoot: 'summary' },
  { method: 'GET', path: '/api/sales/orders', upstream: 'sales', target: '/orders', roles: ['admin', 'sales', 'finance'],
    query: ['customerId', 'partnerId', 'status', 'limit', 'offset'], xmlRoot: 'orders' },
  { method: 'GET', path: '/api/sales/orders/recent', upstream: 'sales', target: '/orders/recent', roles: ['admin', 'sales', 'finance'],
    query: ['limit'], cacheTtlS: 5, cacheShared: true, xmlRoot: 'orders' },
  { method: 'GET', path: '/api/sales/orders/:id', upstream: 'sales', target: '/orders/:id', roles: ['admin', 'sales', 'finance'], xmlRoot: 'order' },
  // not idempotent: never retried, never cached. Staff place customer orders: partner orders (`partnerId`) come
  // through partner-bff, under its tenant isolation and idempotency keys. A browser that sends an Idempotency-Key
  // (double submit, retry after a lost answer) places one order per key and user; the key stays optional because
  // the web contract never required it
  { method: 'POST', path: '/api/sales/orders', upstream: 'sales', target: '/orders', roles: ['admin', 'sales'], timeoutMs: 1500,
    bodyFields: ['customerId:string!', 'items[].sku:string!', 'items[].quantity:integer!'], xmlRoot: 'order', idempotencyKey: 'optional' },
] as const satisfies readonly PassThroughRoute[];

export const hrRoutes = [
  { method: 'GET', path: '/api/hr/employees', upstream: 'hr', target: '/employees', roles: ['admin', 'hr'],
    query: ['limit', 'offset'], redact: HR_SENSITIVE, xmlRoot: 'employees' },
  { method: 'GET', path: '/api/hr/employees/:id', upstream: 'hr', target: '/employees/:id', roles: ['admin', 'hr'],
    redact: HR_SENSITIVE, xmlRoot: 'employee' },
] as const satisfies readonly PassThroughRoute[];

/** Payroll speaks XML; these rows answer JSON (or XML) translated from it, salary fields as exact strings. */
export const payrollRoutes = [
  { method: 'GET', path: '/api/payroll/salaries', upstream: 'payroll', target: '/salaries', roles: ['admin', 'finance'],
    query: ['employeeIds'], xmlArrays: ['salaries.salary'], redact: PAYROLL_SENSITIVE, xmlRoot: 'salaries' },
  { method: 'GET', path: '/api/payroll/salaries/:employeeId', upstream: 'payroll', target: '/salaries/:employeeId', roles: ['admin', 'finance'],
    redact: PAYROLL_SENSITIVE, xmlRoot: 'salary' },
] as const satisfies readonly PassThroughRoute[];

export const WEB_PASS_THROUGH_ROUTES: readonly PassThroughRoute[] = [...inventoryRoutes, ...salesRoutes, ...hrRoutes, ...payrollRoutes];
