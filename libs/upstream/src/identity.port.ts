/**
 * Who an upstream call is made for, as the gateway authenticated the client. Structurally the rbac `Principal`
 * (this data-access lib imports no auth code): `kind` `user` or `partner`, the subject or partner `id`, its roles.
 */
export interface CallIdentity {
  readonly kind: string;
  readonly id: string;
  readonly roles: readonly string[];
}

/**
 * Port: turns a call identity into the gateway's own short-lived signed token for one upstream (`audience` = the
 * upstream's logical name, e.g. `payroll`). Implemented by libs/auth; an `UpstreamClient` with a signer sends the
 * answer as the `authorization` header of every call that carries an identity, replacing whatever the caller put
 * there. Must be synchronous and cheap (implementations cache signed tokens).
 */
export interface IdentitySigner {
  /** The `authorization` header value (`Bearer <jwt>`) presenting `identity` to `audience`. */
  authorizationFor(identity: CallIdentity, audience: string): string;
}

/** Injection token of the {@link IdentitySigner} port. */
export const IDENTITY_SIGNER = Symbol('IdentitySigner');
