export { Public, Roles, PUBLIC_KEY, ROLES_KEY } from './access.decorators';
export { ANONYMOUS, principalOf, type Principal } from './principal';
export { NoRateLimit, NO_RATE_LIMIT_KEY } from './traffic.decorators';
export { Produces, XmlRoot, PRODUCES_KEY, XML_ROOT_KEY, type RepresentationConfig } from './representation.decorators';
export { RolesGuard } from './roles.guard';
export { PerRoute } from './per-route';
export { PARTNER_ROLE, USER_ROLES, type UserRole } from './roles';
