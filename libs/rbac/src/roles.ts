/**
 * The roles user tokens carry (PRODUCT.md, web-bff): `roles` claim, array of strings. Only these mean anything to a
 * route; any other string in a token is carried but grants nothing.
 */
export const USER_ROLES = Object.freeze(['admin', 'finance', 'hr', 'sales', 'warehouse'] as const);

/** One of {@link USER_ROLES}. */
export type UserRole = (typeof USER_ROLES)[number];

/** The one role every authenticated partner (API key) has; partner routes declare it. */
export const PARTNER_ROLE = 'partner';
