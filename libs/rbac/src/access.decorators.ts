import { SetMetadata } from '@nestjs/common';

/** Metadata keys read by the guards. Routes declare access; a route that declares nothing is closed. */
export const ROLES_KEY = 'frontdoor:roles';
export const PUBLIC_KEY = 'frontdoor:public';

/**
 * The roles allowed on a route (any one suffices). Applies to a handler or a controller class; works on
 * generated handlers too (route-table rows), since it is plain metadata.
 */
export const Roles = (...roles: string[]) => SetMetadata(ROLES_KEY, Object.freeze([...roles]));

/** Open to anyone, unauthenticated: health, metrics, JWKS, docs. Everything else needs a principal and roles. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
