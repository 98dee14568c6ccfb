export { AuthModule, API_KEY_STORE_STATE, IDENTITY_PROVIDER_STATE } from './auth.module';
export type { PartnerAuthSettings, UserAuthSettings } from './auth.settings';
export { AuthenticationGuard } from './authentication.guard';
export { API_KEY_CHALLENGE, BEARER_CHALLENGE, BEARER_INVALID_TOKEN_CHALLENGE } from './auth.errors';
export { UserTokenVerifier, type UserTokenPolicy } from './jwt/user-token.verifier';
export {
  JwksCache,
  USER_TOKEN_ALGORITHMS,
  type JwksCacheOptions,
  type JwksState,
  type UserTokenAlgorithm,
  type VerificationKeys,
} from './jwt/jwks.cache';
export { bearerTokenOf, MAX_TOKEN_LENGTH } from './jwt/bearer.extract';
export { ApiKeyVerifier } from './api-keys/api-key.verifier';
export { API_KEY_STORE, type ApiKeyStore, type StoredApiKey } from './api-keys/api-key.store';
export { FileApiKeyStore, type FileApiKeyStoreOptions } from './api-keys/file-key.store';
export { RedisApiKeyStore, type RedisApiKeyStoreOptions } from './api-keys/redis-key.store';
export { generateApiKey, hashApiKey, isWellFormedApiKey } from './api-keys/api-key';
export { createKey, listKeys, openKeyStore, revokeKey, type CreatedKey, type KeyListing } from './api-keys/key-admin';
export { GatewayKey, type GatewayPublicJwk } from './gateway/gateway-key';
export { GatewayTokenSigner, GATEWAY_TOKEN_LIFETIME_S } from './gateway/gateway-token.signer';
