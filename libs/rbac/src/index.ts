export { Public, Roles, PUBLIC_KEY, ROLES_KEY } from './access.decorators';
export { ANONYMOUS, principalOf, type Principal } from './principal';
export { NoRateLimit, NO_RATE_LIMIT_KEY } from './traffic.decorators';
