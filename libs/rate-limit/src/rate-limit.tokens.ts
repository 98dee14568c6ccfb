/** Nest tokens of the rate-limit module's internals. */
export const RATE_LIMIT_SETTINGS = Symbol('RATE_LIMIT_SETTINGS');
export const QUOTA_STORE = Symbol('QUOTA_STORE');
export const RATE_LIMIT_STATE = Symbol('RATE_LIMIT_STATE');
