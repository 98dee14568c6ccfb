import { existsSync } from 'node:fs';
import { Global, Inject, Logger, Module, type DynamicModule, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ProblemError } from '@frontdoor/errors';
import { HttpMetrics, type CheckState, type ReadinessCheck } from '@frontdoor/observability';
import { RedisConnection } from '@frontdoor/redis';
import { IDENTITY_SIGNER } from '@frontdoor/upstream';
import { API_KEY_STORE, type ApiKeyStore } from './api-keys/api-key.store';
import { API_KEY_STRATEGY, apiKeyValidator, rememberedApiKey } from './api-keys/api-key.strategy';
import { ApiKeyVerifier } from './api-keys/api-key.verifier';
import { FileApiKeyStore } from './api-keys/file-key.store';
import { RedisApiKeyStore } from './api-keys/redis-key.store';
import { apiKeyRefused, bearerMissing } from './auth.errors';
import type { PartnerAuthSettings, UserAuthSettings } from './auth.settings';
import { AuthenticationGuard, PassportAuthenticationGuard, type RememberedCredential } from './authentication.guard';
import { CredentialBudget } from './credential-budget';
import { GatewayJwksController } from './gateway/gateway-jwks.controller';
import { GatewayKey } from './gateway/gateway-key';
import { GatewayTokenSigner } from './gateway/gateway-token.signer';
import { BEARER_STRATEGY, bearerValidator, rememberedBearer } from './jwt/bearer.strategy';
import { JwksCache } from './jwt/jwks.cache';
import { UserTokenVerifier } from './jwt/user-token.verifier';
import { registerStrategy, type RegisteredStrategy } from './passport-registration';

/** What the module holds open and releases at shutdown. */
interface AuthResources {
  readonly strategy: RegisteredStrategy;
  close(): Promise<void>;
}
const AUTH_RESOURCES = Symbol('AuthResources');

interface OpenedStore {
  readonly store: ApiKeyStore;
  /** The Redis connection of the store, when it has one (readiness). */
  readonly redis?: RedisConnection;
  close(): Promise<void>;
}
const KEY_STORE = Symbol('OpenedApiKeyStore');

/**
 * Injection token of the partner key store's readiness (`{ readiness }`, for `upstreamReadiness(…, API_KEY_STORE_STATE)`):
 * `api-key-store` is `degraded` while its Redis connection is away (keys verified within the last minutes still
 * answer from memory, others 503), never `down`; always `up` with the key file.
 */
export const API_KEY_STORE_STATE = Symbol('ApiKeyStoreState');

/**
 * Injection token of the identity provider's readiness (`{ readiness }`, for
 * `upstreamReadiness(…, IDENTITY_PROVIDER_STATE)`; web-bff, mobile-bff): `identity-provider` is `degraded` while the
 * last JWKS fetch failed, `up` otherwise (also before the first fetch: fetches are lazy). Read from the cache's
 * `state`, never fetched by the probe.
 */
export const IDENTITY_PROVIDER_STATE = Symbol('IdentityProviderState');

/** The JWKS cache of the user token verifier, shared with its readiness. */
const JWKS_CACHE = Symbol('JwksCache');

/**
 * The `identity-provider` check: `degraded` while the last JWKS fetch failed, whether keys from an earlier fetch are
 * cached (tokens signed by them still verify; a new kid gets 503) or none ever was (every token gets 503). The
 * readiness body has a state per check and no detail, so the two read alike; the 503 warnings and
 * `jwks_fetch_failures_total` tell how much is refused. Never `down`, not even with no key at all:
 * - every replica shares the provider: all of them would leave the load balancer together, taking with them what
 *   still works (public routes, cached keys, remembered tokens), and clients would get the balancer's bare error
 *   instead of our 503;
 * - fetches are driven by requests (the probe never fetches): a replica out of the balancer gets no token, never
 *   fetches again, and would stay unready after the provider is back.
 */
function identityProviderReadiness(jwks: JwksCache): { readiness: ReadinessCheck } {
  const check = async (): Promise<CheckState> => (jwks.state.lastFetch === 'failed' ? 'degraded' : 'up');
  return { readiness: { name: 'identity-provider', check } };
}

/**
 * The partner key store of the gateway: Redis with `REDIS_URL` (a fail-fast connection of its own; the app starts
 * even while Redis is away, lookups of uncached keys then answer 503), else the key file (a malformed file stops
 * the start).
 *
 * Start-up waits up to 1 s for that connection, as the rate-limit and idempotency stores wait for theirs: it has no
 * offline queue, so a lookup sent before it is ready fails at once, and the first requests would be answered 503
 * with Redis up (a loaded CI run: its ready check timed out behind the app's own start-up work, and it was still
 * reconnecting when the first partner burst came). Never longer: a Redis that is away does not stop the start.
 */
async function openGatewayKeyStore(app: string, settings: PartnerAuthSettings): Promise<OpenedStore> {
  const logger = new Logger('PartnerKeys');
  if (!settings.redisUrl) {
    const store = new FileApiKeyStore({
      path: settings.partnerKeysFile,
      onReloadError: (error) => logger.warn(`the key file changed but cannot be read; the keys loaded before still apply: ${error.message}`),
    });
    // a missing file is a store with no keys yet (created later, it is picked up without a restart), so the app
    // starts; but a mistyped PARTNER_KEYS_FILE would otherwise only show as every partner's 401
    const keys = (await store.list()).length;
    if (keys === 0) {
      logger.warn(
        existsSync(settings.partnerKeysFile)
          ? `the partner key file ${settings.partnerKeysFile} holds no keys: every partner is refused until one is added`
          : `the partner key file ${settings.partnerKeysFile} (PARTNER_KEYS_FILE) does not exist: every partner is refused until it is created`,
      );
    }
    return { store, close: () => store.close() };
  }
  const connection = new RedisConnection(settings.redisUrl, `${app}-keys`);
  await connection.waitUntilReady(1000);
  const store = new RedisApiKeyStore(connection.client, {
    isReady: () => connection.ready,
    onServingStale: () =>
      logger.warn(
        'Redis cannot be read: partner keys verified in the last minutes answer from memory, other keys get 503',
      ),
  });
  return { store, redis: connection, close: () => connection.close() };
}

/** The gateway key and the identity signer of upstream calls: every app has them. */
function gatewayProviders(app: string, keyFile: string | undefined): Provider[] {
  return [
    { provide: GatewayKey, useFactory: () => (keyFile ? GatewayKey.fromPemFile(keyFile) : GatewayKey.generate()) },
    { provide: IDENTITY_SIGNER, useFactory: (key: GatewayKey) => new GatewayTokenSigner(key, `frontdoor:${app}`), inject: [GatewayKey] },
  ];
}

/**
 * The guard of the app's strategy, with the fast path of credentials its verifier (`verifierToken`) remembers and
 * the per-address budget of the others (`newCredentialRps`, 0 or unset: none).
 */
function guardProvider<V>(
  missing: () => ProblemError,
  verifierToken: abstract new (...args: never[]) => V,
  remembered: (verifier: V) => RememberedCredential,
  credentialHeader: 'authorization' | 'x-api-key',
  newCredentialRps: number | undefined,
): Provider {
  const budget = newCredentialRps ? new CredentialBudget(newCredentialRps) : undefined;
  return {
    provide: AuthenticationGuard,
    useFactory: (reflector: Reflector, resources: AuthResources, verifier: V) =>
      new PassportAuthenticationGuard(reflector, resources.strategy.name, missing, remembered(verifier), credentialHeader, budget),
    inject: [Reflector, AUTH_RESOURCES, verifierToken],
  };
}

const EXPORTS = [AuthenticationGuard, IDENTITY_SIGNER, GatewayKey];

/**
 * Authentication at the door and the gateway's identity towards upstreams. An app imports it once (global):
 *
 * - `forUsers(app, settings)` (web-bff, mobile-bff): bearer JWTs verified against the provider's JWKS;
 * - `forPartners(app, settings)` (partner-bff): `X-API-Key`, keys hashed in a file or in Redis.
 *
 * Both provide `AuthenticationGuard` (the app registers it as its first APP_GUARD), the `IDENTITY_SIGNER` the
 * upstream clients use to attach the gateway's signed token, and `GET /.well-known/jwks.json`.
 */
@Global()
@Module({})
export class AuthModule implements OnApplicationShutdown {
  constructor(@Inject(AUTH_RESOURCES) private readonly resources: AuthResources) {}

  static forUsers(app: string, settings: UserAuthSettings): DynamicModule {
    return {
      module: AuthModule,
      controllers: [GatewayJwksController],
      providers: [
        ...gatewayProviders(app, settings.gatewaySigningKeyFile),
        {
          provide: JWKS_CACHE,
          // its failed fetches counted in jwks_fetch_failures_total, when the app has metrics
          useFactory: (metrics?: HttpMetrics) => {
            const jwks = new JwksCache({ url: settings.jwksUrl, cooldownMs: settings.jwksCooldownMs });
            if (metrics) jwks.onFetchFailure(metrics.countJwksFetchFailures());
            return jwks;
          },
          inject: [{ token: HttpMetrics, optional: true }],
        },
        {
          provide: UserTokenVerifier,
          useFactory: (jwks: JwksCache) =>
            new UserTokenVerifier(jwks, {
              issuer: settings.issuer,
              audience: settings.audience,
              clockSkewS: settings.clockSkewS,
              maxLifetimeS: settings.maxLifetimeS,
            }),
          inject: [JWKS_CACHE],
        },
        { provide: IDENTITY_PROVIDER_STATE, useFactory: identityProviderReadiness, inject: [JWKS_CACHE] },
        {
          provide: AUTH_RESOURCES,
          useFactory: (verifier: UserTokenVerifier): AuthResources => ({
            strategy: registerStrategy(BEARER_STRATEGY, bearerValidator(verifier, settings.jwksCooldownMs / 1000)),
            close: async () => undefined,
          }),
          inject: [UserTokenVerifier],
        },
        guardProvider(bearerMissing, UserTokenVerifier, rememberedBearer, 'authorization', settings.newCredentialRps),
      ],
      exports: [...EXPORTS, UserTokenVerifier, IDENTITY_PROVIDER_STATE],
    };
  }

  static forPartners(app: string, settings: PartnerAuthSettings): DynamicModule {
    return {
      module: AuthModule,
      controllers: [GatewayJwksController],
      providers: [
        ...gatewayProviders(app, settings.gatewaySigningKeyFile),
        { provide: KEY_STORE, useFactory: () => openGatewayKeyStore(app, settings) },
        { provide: API_KEY_STORE, useFactory: (opened: OpenedStore) => opened.store, inject: [KEY_STORE] },
        {
          provide: API_KEY_STORE_STATE,
          useFactory: ({ redis }: OpenedStore): { readiness: ReadinessCheck } => ({
            readiness: { name: 'api-key-store', check: async () => (redis === undefined || redis.ready ? 'up' : 'degraded') },
          }),
          inject: [KEY_STORE],
        },
        { provide: ApiKeyVerifier, useFactory: (store: ApiKeyStore) => new ApiKeyVerifier(store), inject: [API_KEY_STORE] },
        {
          provide: AUTH_RESOURCES,
          useFactory: (verifier: ApiKeyVerifier, opened: OpenedStore): AuthResources => ({
            strategy: registerStrategy(API_KEY_STRATEGY, apiKeyValidator(verifier)),
            close: opened.close,
          }),
          inject: [ApiKeyVerifier, KEY_STORE],
        },
        guardProvider(apiKeyRefused, ApiKeyVerifier, rememberedApiKey, 'x-api-key', settings.newCredentialRps),
      ],
      exports: [...EXPORTS, ApiKeyVerifier, API_KEY_STORE, API_KEY_STORE_STATE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    this.resources.strategy.unregister();
    await this.resources.close();
  }
}
