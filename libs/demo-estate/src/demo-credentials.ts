/** The roles of user tokens (PRODUCT.md, web-bff). */
export const DEMO_ROLES = ['admin', 'finance', 'hr', 'sales', 'warehouse'] as const;

/** One of {@link DEMO_ROLES}. */
export type DemoRole = (typeof DEMO_ROLES)[number];

/** A demo partner of partner-bff: who it is, its usage plan, and its API key in clear (the gateway stores a hash). */
export interface DemoPartner {
  readonly partnerId: 'acme' | 'globex';
  readonly plan: 'gold' | 'free';
  readonly apiKey: string;
}

/**
 * The demo partners and their fixed API keys (constants, so docs, e2e tests and the demo agree). Demo only: these
 * keys are public by design and must never be accepted outside the demo estate.
 */
export const DEMO_PARTNERS: readonly DemoPartner[] = Object.freeze([
  Object.freeze({ partnerId: 'acme', plan: 'gold', apiKey: 'fd_demo_acme_Q7mV2xK9pL4tRz8NwC3yHb6JdF5sGa1E' }),
  Object.freeze({
    partnerId: 'globex',
    plan: 'free',
    apiKey: 'fd_demo_globex_T3kW8nB5vR1yM6qZ9cX4hJ2fD7sLp0Ga',
  }),
] as const);

/** Whether `value` is one of {@link DEMO_ROLES}. */
export function isDemoRole(value: unknown): value is DemoRole {
  return typeof value === 'string' && (DEMO_ROLES as readonly string[]).includes(value);
}
