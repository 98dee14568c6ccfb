import { DEMO_PARTNERS, DEMO_ROLES, isDemoRole } from './demo-credentials';
import { HttpProblem, isObject, json, parseJsonBody, type Route } from './http-kit';
import type { IdentityKeys, TokenClaims, TokenPolicy } from './identity-keys';

/** What `POST /token` answers. */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

/**
 * Checks a token request: `sub` a non-empty string of at most 64 characters, `roles` (optional, default none) an
 * array of {@link DEMO_ROLES} (duplicates removed). @throws HttpProblem 400 naming the problem
 */
export function validateTokenRequest(input: unknown): TokenClaims {
  if (!isObject(input)) throw new HttpProblem(400, 'the token request must be a JSON object {sub, roles}');
  const { sub, roles = [] } = input;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 64)
    throw new HttpProblem(400, 'sub must be a string of 1 to 64 characters');
  if (!Array.isArray(roles) || !roles.every(isDemoRole))
    throw new HttpProblem(400, `roles must be an array of: ${DEMO_ROLES.join(', ')}`);
  return { sub, roles: [...new Set(roles)] };
}

/** Issues a token for already validated claims, in the `POST /token` answer's shape. */
export async function issue(
  keys: IdentityKeys,
  claims: TokenClaims,
  policy: TokenPolicy,
): Promise<TokenResponse> {
  return {
    access_token: await keys.sign(claims, policy),
    token_type: 'Bearer',
    expires_in: policy.lifetimeS,
  };
}

/**
 * identity, the dev IdP (JSON): `GET /.well-known/jwks.json`, `POST /token` {sub, roles} → {access_token, token_type,
 * expires_in}, `GET /demo/credentials` → the demo partners' API keys and one fresh token per role (sub `demo-<role>`).
 */
export function identityRoutes(keys: IdentityKeys, policy: TokenPolicy): Route[] {
  return [
    { method: 'GET', path: '/.well-known/jwks.json', handler: () => json(keys.jwks()) },
    {
      method: 'POST',
      path: '/token',
      handler: async ({ body }) => json(await issue(keys, validateTokenRequest(parseJsonBody(body)), policy)),
    },
    {
      method: 'GET',
      path: '/demo/credentials',
      handler: async () => {
        const tokens = await Promise.all(
          DEMO_ROLES.map((role) => keys.sign({ sub: `demo-${role}`, roles: [role] }, policy)),
        );
        return json({
          partners: DEMO_PARTNERS.map(({ partnerId, plan, apiKey }) => ({ partnerId, plan, apiKey })),
          tokens: Object.fromEntries(DEMO_ROLES.map((role, i) => [role, tokens[i]])),
        });
      },
    },
  ];
}
