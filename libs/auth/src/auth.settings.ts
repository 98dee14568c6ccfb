/** User-token authentication of one app (web-bff, mobile-bff), from the validated config (`jwtSchema`). */
export interface UserAuthSettings {
  /** `JWT_JWKS_URL` */
  readonly jwksUrl: URL;
  /** `JWT_ISSUER` */
  readonly issuer: string;
  /** `JWT_AUDIENCE` */
  readonly audience: string;
  /** `JWT_CLOCK_SKEW_S` */
  readonly clockSkewS: number;
  /** `JWT_MAX_LIFETIME_S` */
  readonly maxLifetimeS: number;
  /** `JWT_JWKS_COOLDOWN_MS` */
  readonly jwksCooldownMs: number;
  /** `GATEWAY_SIGNING_KEY_FILE` (unset: a key generated at start) */
  readonly gatewaySigningKeyFile?: string;
  /** `RATE_LIMIT_NEW_CREDENTIAL_RPS` (0 or unset: no limit; see `CredentialBudget`) */
  readonly newCredentialRps?: number;
}

/** API-key authentication of partner-bff, from the validated config (`partnerKeysSchema`, `storeSchema`). */
export interface PartnerAuthSettings {
  /** `PARTNER_KEYS_FILE`: the store when `redisUrl` is unset. */
  readonly partnerKeysFile: string;
  /** `REDIS_URL`: keys live in Redis when set. */
  readonly redisUrl?: URL;
  /** `GATEWAY_SIGNING_KEY_FILE` (unset: a key generated at start) */
  readonly gatewaySigningKeyFile?: string;
  /** `RATE_LIMIT_NEW_CREDENTIAL_RPS` (0 or unset: no limit; see `CredentialBudget`) */
  readonly newCredentialRps?: number;
}
