import type { DemoEstate } from './demo-estate.types';

/**
 * The environment a BFF needs to front this estate (e.g. one started on ephemeral ports by a test):
 * the five upstream URLs and the identity provider's JWKS URL, issuer and audience.
 */
export function estateEnv(estate: DemoEstate): Record<string, string> {
  return {
    UPSTREAM_INVENTORY_URL: estate.urls.inventory,
    UPSTREAM_HR_URL: estate.urls.hr,
    UPSTREAM_PAYROLL_URL: estate.urls.payroll,
    UPSTREAM_SALES_URL: estate.urls.sales,
    UPSTREAM_CUSTOMERS_URL: estate.urls.customers,
    JWT_JWKS_URL: estate.jwksUrl,
    JWT_ISSUER: estate.issuer,
    JWT_AUDIENCE: estate.audience,
    // tests are quiet unless a developer asks (tools/jest/setup-env.js sets 'silent' by default)
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'silent',
  };
}
